#!/usr/bin/env node
/**
 * `fedkit-client`: a headless participant. It joins a federation with one
 * IID part of MNIST's training split (the `mnist-2nn` task's data) and trains
 * on the wasm runtime until the server says the run is done. One JSON line per event.
 */
import 'reflect-metadata';

import { readFileSync } from 'node:fs';

import { connectClient } from '@fedkit/client';
import { createFedkitContainer, selectRuntime } from '@fedkit/core';
import { registerWasmRuntime } from '@fedkit/runtime-wasm';
import { Command, InvalidArgumentError } from 'commander';

import { mnistClientData } from './mnist-client-data.js';

const num = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, found "${v}".`);
  return n;
};

const program = new Command('fedkit-client')
  .description('Join a fedkit federation from Node with a part of MNIST.')
  .requiredOption('--url <url>', 'the federation URL, e.g. wss://fl.example.org/federations/mnist')
  .option('--token <token>', 'this client\'s token (default: $FEDKIT_CLIENT_TOKEN)')
  .option('--name <name>', 'shown on the server\'s status page')
  .option('--part <i>', 'which part of the training split', num('--part'), 0)
  .option('--parts <n>', 'into how many IID parts it is cut', num('--parts'), 10)
  .option('--examples <n>', 'use only the first n examples of the part', num('--examples'))
  .option('--batch-size <n>', 'local batch size', num('--batch-size'), 10)
  .option('--epochs <n>', 'local epochs per round', num('--epochs'), 1)
  .option('--runtime <name>', 'tfjs runtime', 'wasm')
  .option('--ca <file>', 'PEM certificate(s) to trust for wss:// (a private CA or a self-signed server)')
  .action(async (o: { url: string; token?: string; name?: string; part: number; parts: number; examples?: number; batchSize: number; epochs: number; runtime: string; ca?: string }) => {
    const selection = await selectRuntime(registerWasmRuntime(createFedkitContainer()), o.runtime);
    const { data } = mnistClientData({ part: o.part, parts: o.parts, batchSize: o.batchSize, epochs: o.epochs, ...(o.examples === undefined ? {} : { examples: o.examples }) });
    const token = o.token ?? process.env['FEDKIT_CLIENT_TOKEN'];
    const client = connectClient(
      {
        url: o.url,
        ...(token === undefined ? {} : { token }),
        ...(o.name === undefined ? {} : { name: o.name }),
        runtime: selection.runtime.name,
        data,
        onEvent: (e) => {
          if (e.kind !== 'progress') console.log(JSON.stringify(e));
        },
      },
      o.ca === undefined ? undefined : { ca: readFileSync(o.ca) },
    );
    process.on('SIGINT', () => client.close());
    await client.run();
    client.dispose();
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`fedkit-client: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
