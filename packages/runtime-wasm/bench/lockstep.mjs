// Would training several clients in lockstep (FedJAX's vmap idea: one computation per step over K clients' own
// weights) beat one client at a time on fedkit's wasm runtime? Issue 21 asked to measure it before building it.
//
// Lockstep shares no arithmetic between clients (each client's products use its own weights), so what a batched
// kernel could save is the per-call cost of a step outside its arithmetic (JavaScript, tfjs's engine, tensor
// bookkeeping), paid once per step instead of K times; what it costs is memory locality: K clients' weights
// (0.8 MB each for the 2NN) stream through the cache each step instead of one client's.
//
// This prints, for K = 2, 4 and 10 clients of the 2NN (784-200-200-10, B=10, SGD 0.1, 60 steps each, the one-kernel
// step DENSE_SGD_STEP_KERNEL through KerasModelWrapper.sgdStep), alternating within each cycle:
//   - sequential: each client's 60 steps, one client after another (what fedkit's executors do);
//   - interleaved: step s of every client, then step s+1 (the order a lockstep kernel computes in);
//   - the per-call cost: sgdStep on a Dense stack with 1 input and 2 classes at B=1, where the arithmetic is nil;
//   - a whole client step as fedkit runs it (local_training with an accuracy metric, batches made from typed
//     arrays as ClientBatches makes them): what the step kernel's call adds to that (metric updates, batches,
//     the loop) is the rest of a step's cost outside the arithmetic;
//   - the best a lockstep path could do, generously: interleaved, minus (K-1)/K of the per-call cost, plus 1/K of
//     that rest (as if metric updates and batches for K clients cost what one client's do).
// Lockstep is worth building only where that best case clearly beats one client at a time.
// Run after building: `node packages/runtime-wasm/bench/lockstep.mjs [cycles]` (from the repo root).
import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { TensorSpec } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { FusedSgdOptimizer, localTraining } from '@fedkit/learning';
import { activateWasm } from '@fedkit/runtime-wasm';

import { twoNN } from './two-nn.mjs';

await activateWasm();
const cycles = Number(process.argv[2] ?? 7);
const STEPS = 60;
const B = 10;
const xs = Array.from({ length: STEPS }, (_, b) => tf.randomUniform([B, 784], 0, 1, 'float32', b));
const xData = xs.map((x) => x.dataSync().slice());
const yData = Array.from({ length: STEPS }, (_, b) => Int32Array.from({ length: B }, (_, i) => (i + b) % 10));
const ys = Array.from({ length: STEPS }, (_, b) => tf.tensor1d(Array.from({ length: B }, (_, i) => (i + b) % 10), 'int32'));
const MAX_K = 10;
const clients = Array.from({ length: MAX_K }, () => twoNN());
if (clients[0].sgdStep({ x: xs[0], y: ys[0] }, 0.1) === undefined) throw new Error('the one-kernel step did not run: build the workspace first');

const step = (model, s) => {
  const out = model.sgdStep({ x: xs[s], y: ys[s] }, 0.1);
  tf.dispose([out.loss, out.predictions]);
};
/** µs per client-step. */
function sequential(k) {
  const t0 = performance.now();
  for (let c = 0; c < k; c++) for (let s = 0; s < STEPS; s++) step(clients[c], s);
  return ((performance.now() - t0) * 1000) / (k * STEPS);
}
function interleaved(k) {
  const t0 = performance.now();
  for (let s = 0; s < STEPS; s++) for (let c = 0; c < k; c++) step(clients[c], s);
  return ((performance.now() - t0) * 1000) / (k * STEPS);
}
const tiny = fromKerasModel(tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 2, activation: 'softmax' })] }), {
  loss: 'sparse_categorical_crossentropy',
  inputSpec: { x: new TensorSpec([null, 1]), y: new TensorSpec([null], 'int32') },
});
const tinyX = tf.tensor2d([[0.5]]);
const tinyY = tf.tensor1d([1], 'int32');
function perCall() {
  const n = 2000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const out = tiny.sgdStep({ x: tinyX, y: tinyY }, 0.1);
    tf.dispose([out.loss, out.predictions]);
  }
  return ((performance.now() - t0) * 1000) / n;
}

// local_training over the same 60 batches, with accuracy, on its own model (same shape).
const metered = twoNN(['accuracy']);
const meteredWeights = { trainable: metered.trainableVariables.map((v) => v.dataSync().slice()), nonTrainable: [] };
async function fullStep() {
  const dataset = { *[Symbol.iterator]() { for (let b = 0; b < STEPS; b++) yield { x: tf.tensor2d(xData[b], [B, 784]), y: tf.tensor1d(yData[b], 'int32') }; } };
  const optimizer = new FusedSgdOptimizer(0.1);
  metered.resetMetrics();
  const t0 = performance.now();
  await localTraining.run({ model: metered, weights: meteredWeights, dataset, optimizer, label: 'bench', config: {}, inputs: {} });
  const us = ((performance.now() - t0) * 1000) / STEPS;
  optimizer.dispose();
  return us;
}

const KS = [2, 4, 10];
const runs = [['perCall', perCall], ['full', fullStep], ...KS.flatMap((k) => [[`seq${k}`, () => sequential(k)], [`int${k}`, () => interleaved(k)]])];
for (const [, f] of runs) await f(); // warm-up
const tensorsBefore = tf.memory().numTensors;
const samples = Object.fromEntries(runs.map(([k]) => [k, []]));
for (let c = 0; c < cycles; c++) {
  for (const [k, f] of c % 2 === 0 ? runs : [...runs].reverse()) samples[k].push(await f());
}
if (tf.memory().numTensors !== tensorsBefore) throw new Error(`tensors leaked: ${tensorsBefore} -> ${tf.memory().numTensors}`);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const call = median(samples.perCall);
const full = median(samples.full);
const kernelOnly = median(KS.flatMap((k) => samples[`seq${k}`]));
const rest = full - kernelOnly;
console.log(`${cycles} alternating cycles, medians, µs per client-step (B=${B}, 2NN).`);
console.log(`A step's call outside its arithmetic: ${call.toFixed(1)} µs. A whole client step through local_training: ${full.toFixed(0)} µs, ` +
  `of which ${rest.toFixed(0)} µs around the step kernel (metric updates, batches, the loop).`);
console.log('| clients K | one at a time (step kernel only) | interleaved (step kernel only) | one at a time (whole step) | lockstep at best (whole step) | best lockstep vs one at a time |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const k of KS) {
  const seq = median(samples[`seq${k}`]);
  const int = median(samples[`int${k}`]);
  const best = int - ((k - 1) / k) * call + rest / k;
  console.log(`| ${k} | ${seq.toFixed(0)} | ${int.toFixed(0)} | ${full.toFixed(0)} | ${best.toFixed(0)} | ${(full / best).toFixed(2)}x |`);
}
