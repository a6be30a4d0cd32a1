/**
 * The browser client page: joins a federation with the data file its URL
 * names and shows local progress and the global model's accuracy. URL
 * parameters: `data` (a partition file's URL, see partition-file.ts), `token`,
 * `federation` (default `default`), `server` (a ws:// or wss:// base URL;
 * default this page's origin), `backend` (`wasm` default, `webgl`, `cpu`), `batch`
 * (default 10), `epochs` (default 1). Every client event is also pushed to
 * `window.fedkitEvents`, for tests and for pages embedding this one.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

import { connectClient, type ClientEvent } from '@fedkit/client';
import type { Batch, ClientDataset } from '@fedkit/core';

import { decodePartition, type PartitionArrays } from './partition-file.js';

const params = new URLSearchParams(location.search);
const events: ClientEvent[] = [];
(globalThis as { fedkitEvents?: ClientEvent[] }).fedkitEvents = events;
const $ = (id: string): HTMLElement => document.getElementById(id)!;

/** A re-iterable dataset over the page's examples, shuffled per epoch with Math.random (order is not private). */
function arrayDataset(p: PartitionArrays, batchSize: number, epochs: number): ClientDataset {
  return {
    *[Symbol.iterator](): Iterator<Batch> {
      for (let e = 0; e < epochs; e++) {
        const order = Array.from({ length: p.numExamples }, (_, i) => i);
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(Math.random() * (i + 1));
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        for (let s = 0; s < order.length; s += batchSize) {
          const rows = order.slice(s, s + batchSize);
          const x = new Float32Array(rows.length * p.exampleSize);
          rows.forEach((r, k) => x.set(p.x.subarray(r * p.exampleSize, (r + 1) * p.exampleSize), k * p.exampleSize));
          yield { x: tf.tensor2d(x, [rows.length, p.exampleSize]), y: tf.tensor1d(Int32Array.from(rows, (r) => p.y[r]!), 'int32') };
        }
      }
    },
  };
}

function show(e: ClientEvent, stepsPerRound: number): void {
  events.push(e);
  switch (e.kind) {
    case 'connecting':
      $('connection').textContent = `connecting to ${e.url} (attempt ${e.attempt})`;
      break;
    case 'joined':
      $('connection').textContent = `joined federation ${e.federation} as ${e.session}, task ${e.task}`;
      break;
    case 'task':
      $('local').textContent = `round ${e.round}: training`;
      ($('progress') as HTMLProgressElement).value = 0;
      break;
    case 'progress':
      ($('progress') as HTMLProgressElement).value = Math.min(1, e.batches / stepsPerRound);
      break;
    case 'update-sent':
      $('local').textContent = `round ${e.round}: sent an update from ${e.numExamples} examples in ${Math.round(e.ms)} ms${e.loss === undefined ? '' : `, local loss ${e.loss.toFixed(3)}`}`;
      break;
    case 'status': {
      const acc = e.eval?.['sparse_categorical_accuracy'];
      $('global').textContent = `round ${e.round} of ${e.rounds}, ${e.clients} clients` + (acc === undefined ? '' : `, test accuracy ${(100 * acc).toFixed(1)}%`);
      break;
    }
    case 'disconnected':
      $('connection').textContent = `disconnected (${e.code} ${e.reason}); retrying in ${e.retryInMs ?? 0} ms`;
      break;
    case 'done':
      $('connection').textContent = `the federation finished after round ${e.round}`;
      break;
    default:
      break;
  }
}

async function main(): Promise<void> {
  const backend = params.get('backend') ?? 'wasm';
  // The wasm binaries lie beside the page (bundle.mjs copies them there).
  setWasmPaths(new URL('./', location.href).href);
  if (!(await tf.setBackend(backend))) await tf.setBackend('cpu');
  await tf.ready();
  const data = decodePartition(await (await fetch(params.get('data') ?? 'data.bin')).arrayBuffer());
  const batch = Number(params.get('batch') ?? 10);
  const epochs = Number(params.get('epochs') ?? 1);
  const base = params.get('server') ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  const token = params.get('token');
  const client = connectClient({
    url: `${base}/federations/${params.get('federation') ?? 'default'}`,
    ...(token === null ? {} : { token }),
    name: `browser (${navigator.userAgent.includes('Headless') ? 'headless ' : ''}${tf.getBackend()})`,
    runtime: tf.getBackend(),
    data: arrayDataset(data, batch, epochs),
    onEvent: (e) => show(e, Math.ceil(data.numExamples / batch) * epochs),
  });
  await client.run();
}

main().catch((e: unknown) => {
  $('connection').textContent = `stopped: ${e instanceof Error ? e.message : String(e)}`;
  events.push({ kind: 'disconnected', code: 0, reason: String(e) });
});
