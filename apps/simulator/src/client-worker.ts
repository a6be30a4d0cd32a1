/**
 * The body of one worker thread of {@link WorkerPoolExecutor}: activates the
 * runtime, builds the task's model once, then trains one client per message.
 */
import { parentPort, workerData } from 'node:worker_threads';

import * as tf from '@tensorflow/tfjs';

import { createFedkitContainer, selectRuntime } from '@fedkit/core';
import { trainClient, ClientTrainingError, type ClientTrainingConfig } from '@fedkit/learning';
import { registerWasmRuntime } from '@fedkit/runtime-wasm';

import { ClientBatches, type ArrayData, type ClientBatchPlan } from './array-data.js';
import { taskModelFactory } from './build-task-model.js';
import { loadTask } from './load-task.js';

interface Init {
  task: string;
  seed: number;
  runtime: string;
  clientLr: number;
  x: SharedArrayBuffer;
  y: SharedArrayBuffer;
  yInt: boolean;
  xShape: number[];
  yShape: number[];
  count: number;
}

interface Job {
  type: 'train';
  id: number;
  clientIndex: number;
  trainable: Float32Array[];
  nonTrainable: Float32Array[];
  trainableShapes: number[][];
  nonTrainableShapes: number[][];
  training: ClientTrainingConfig;
  plan: ClientBatchPlan;
}

const init = workerData as Init;
const port = parentPort!;
const aborts = new Map<number, AbortController>();

async function main(): Promise<void> {
  const container = registerWasmRuntime(createFedkitContainer());
  await selectRuntime(container, init.runtime);
  const task = await loadTask(init.task);
  const model = taskModelFactory(task, init.seed).modelFn();
  const data: ArrayData = {
    x: new Float32Array(init.x),
    y: init.yInt ? new Int32Array(init.y) : new Float32Array(init.y),
    xShape: init.xShape,
    yShape: init.yShape,
    count: init.count,
  };
  let queue = Promise.resolve();
  port.on('message', (msg: Job | { type: 'abort'; id: number }) => {
    if (msg.type === 'abort') {
      aborts.get(msg.id)?.abort(new DOMException('aborted', 'AbortError'));
      return;
    }
    const controller = new AbortController();
    aborts.set(msg.id, controller);
    queue = queue.then(async () => {
      const start = performance.now();
      const optimizer = msg.training.mode === 'local_training' ? tf.train.sgd(init.clientLr) : undefined;
      try {
        const r = await trainClient(
          model,
          { trainable: msg.trainable, nonTrainable: msg.nonTrainable, trainableShapes: msg.trainableShapes, nonTrainableShapes: msg.nonTrainableShapes },
          new ClientBatches(data, msg.plan, controller.signal),
          optimizer,
          { ...msg.training, clientIndex: msg.clientIndex, signal: controller.signal },
        );
        port.postMessage({ id: msg.id, ok: true, result: r, ms: performance.now() - start }, r.update.map((u) => u.buffer as ArrayBuffer));
      } catch (e) {
        port.postMessage({
          id: msg.id,
          ok: false,
          aborted: controller.signal.aborted,
          error: e instanceof Error ? e.message : String(e),
          numExamples: e instanceof ClientTrainingError ? e.numExamples : 0,
          numBatches: e instanceof ClientTrainingError ? e.numBatches : 0,
          ms: performance.now() - start,
        });
      } finally {
        optimizer?.dispose();
        aborts.delete(msg.id);
      }
    });
  });
  port.postMessage({ ready: true });
}

main().catch((e: unknown) => port.postMessage({ fatal: e instanceof Error ? e.stack ?? e.message : String(e) }));
