/**
 * The GPU check the bundle runs: (1) which WebGPU adapter Dawn found, or why none;
 * (2) fedkit's numeric suite on every backend against cpu; (3) training
 * examples/s on webgpu and wasm; (4) FedAvg rounds/s with sequential and batched
 * clients, next to TFF's published figure. Without a GPU it says so and runs the
 * rest on the fallback backends. Writes `gpu-check.json` into `--out`.
 *
 *   node gpu-check.mjs --out DIR [--quick] [--only PARTS | --skip PARTS] ...   (see check-options.ts)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { checkAdapter } from './check-adapter.js';
import { detectBackends, errorText } from './backends.js';
import { parseCheckOptions, type CheckPart } from './check-options.js';
import { fedAvgRounds, TFF_REFERENCE } from './fedavg-rounds.js';
import { formatSummary, type CheckReport } from './format-summary.js';
import { numericSuite } from './numeric-suite.js';
import { throughput } from './throughput.js';

let options;
try {
  options = parseCheckOptions(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
}
mkdirSync(options.out, { recursive: true });
const started = new Date();
const deadline = performance.now() + options.timeBudgetSeconds * 1000;
const report: CheckReport = {
  date: started.toISOString(),
  machine: {
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  },
  bundle: process.env['FEDKIT_GPU_BUNDLE_INFO'] ?? 'not run from a bundle',
  options,
  tffReference: TFF_REFERENCE,
  skipped: [],
  errors: {},
  partSeconds: {},
};
const done = (part: CheckPart): void => {
  report.partSeconds[part] = (performance.now() - partStart) / 1000;
};
const save = (): void => writeFileSync(join(options.out, 'gpu-check.json'), `${JSON.stringify(report, null, 2)}\n`);
let partStart = performance.now();
const want = (part: CheckPart): boolean => {
  partStart = performance.now();
  if (options.parts.includes(part)) return true;
  report.skipped.push(part);
  return false;
};

// Part 1 always runs (the others need to know the backends); --skip adapter only leaves it out of the report.
const { report: adapter, runtime } = await checkAdapter();
report.partSeconds.adapter = (performance.now() - partStart) / 1000;
if (options.parts.includes('adapter')) report.adapter = adapter;
console.log(adapter.available ? `WebGPU adapter: ${adapter.adapter}` : `No WebGPU adapter, so the GPU parts fall back: ${adapter.reason}`);
const detected = await detectBackends(runtime, adapter.available, adapter.reason);
const leftOut = detected.available.filter((b) => b !== 'cpu' && !options.backends.includes(b));
const backends = {
  ...detected,
  available: detected.available.filter((b) => !leftOut.includes(b)),
  unavailable: { ...detected.unavailable, ...Object.fromEntries(leftOut.map((b) => [b, 'left out by --backends'])) },
};
report.backends = { available: backends.available, unavailable: backends.unavailable };
save();

if (want('numeric')) {
  try {
    report.numeric = await numericSuite(backends, { clients: options.numericClients, examples2nn: options.numericExamples, examplesCnn: options.numericCnnExamples, clientsCnn: options.numericCnnClients });
  } catch (e) {
    report.errors['numeric'] = errorText(e);
  }
  done('numeric');
  save();
}
if (want('throughput')) {
  try {
    report.throughput = await throughput(backends, { batches: options.batches, seconds: options.seconds, deadline });
  } catch (e) {
    report.errors['throughput'] = errorText(e);
  }
  done('throughput');
  save();
}
if (want('rounds')) {
  try {
    report.rounds = await fedAvgRounds(backends, {
      clients: options.clients,
      examplesPerClient: options.examplesPerClient,
      batch: options.roundBatch,
      rounds: options.rounds,
      caseBudgetSeconds: options.caseBudgetSeconds,
      wasmClients: options.wasmClients,
      deadline,
    });
  } catch (e) {
    report.errors['rounds'] = errorText(e);
  }
  done('rounds');
}
report.seconds = (Date.now() - started.getTime()) / 1000;
report.tensorsLeft = tf.memory().numTensors;
save();
console.log(formatSummary(report));
