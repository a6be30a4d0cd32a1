// One training step of the 2NN (784-200-200-10) through fedkit's local_training (sparse categorical crossentropy,
// accuracy, SGD 0.1) in four configurations, alternating, 60 steps per sample:
//   stock:  XNNPACK products (small-batch path off) and tfjs's SGD (a Multiply and an Add per weight array);
//   +small: the small-batch matmul path, tfjs's SGD;
//   +fused: the small-batch path and fedkit's fused SGD update kernel, the step still through the gradient tape;
//   +dense step: the whole step as one kernel (DENSE_SGD_STEP_KERNEL), what createOptimizer({ name: 'sgd' }) gives.
// Run after building: `node packages/runtime-wasm/bench/training-step.mjs [batch] [cycles]` (from the repo root).
import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { FusedSgdOptimizer, localTraining } from '@fedkit/learning';
import { activateWasm, setSmallMatMulEnabled } from '@fedkit/runtime-wasm';

import { twoNN } from './two-nn.mjs';

await activateWasm();
const B = Number(process.argv[2] ?? 10);
const cycles = Number(process.argv[3] ?? 11);
const STEPS = 60;
const xs = Array.from({ length: STEPS }, (_, b) => tf.randomUniform([B, 784], 0, 1, 'float32', b));
const ys = Array.from({ length: STEPS }, (_, b) => tf.tensor1d(Array.from({ length: B }, (_, i) => (i + b) % 10), 'int32'));
const model = twoNN(['accuracy']);
const initial = model.trainableVariables.map((v) => v.dataSync().slice());
const weights = { trainable: initial, nonTrainable: [] };

/** fedkit's SGD with the model's one-kernel step declined, so the step runs through the tape. */
class TapeSgd extends FusedSgdOptimizer {
  modelStep() {
    return undefined;
  }
}
const configs = {
  stock: { small: false, optimizer: () => tf.train.sgd(0.1) },
  '+small': { small: true, optimizer: () => tf.train.sgd(0.1) },
  '+fused': { small: true, optimizer: () => new TapeSgd(0.1) },
  '+dense step': { small: true, optimizer: () => new FusedSgdOptimizer(0.1) },
};

/** ms per step of one pass over the 60 batches from the same initial weights, and the update. */
async function sample({ small, optimizer: make }) {
  setSmallMatMulEnabled(small);
  model.trainableVariables.forEach((v, i) => v.assign(tf.tensor(initial[i], v.shape)));
  const optimizer = make();
  // local_training disposes the batches it is given, so it gets copies.
  const dataset = { *[Symbol.iterator]() { for (let b = 0; b < STEPS; b++) yield { x: xs[b].clone(), y: ys[b].clone() }; } };
  const t0 = performance.now();
  const { update } = await localTraining.run({ model, weights, dataset, optimizer, label: 'bench', config: {}, inputs: {} });
  const ms = (performance.now() - t0) / STEPS;
  optimizer.dispose();
  return { ms, update };
}

const names = Object.keys(configs);
const ms = Object.fromEntries(names.map((n) => [n, []]));
const updates = {};
for (const n of names) await sample(configs[n]);
for (let c = 0; c < cycles; c++) {
  for (const n of c % 2 === 0 ? names : [...names].reverse()) {
    const r = await sample(configs[n]);
    ms[n].push(r.ms);
    updates[n] = r.update;
  }
}
setSmallMatMulEnabled(true);
const median = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
const differing = (a, b) => a.reduce((n, arr, i) => n + arr.reduce((m, v, j) => m + (Object.is(v, b[i][j]) ? 0 : 1), 0), 0);
console.log(`B=${B}: ms per training step, medians of ${cycles} alternating cycles of ${STEPS} steps`);
console.log('| configuration | ms per step | speedup over stock | update values differing from stock |');
console.log('| --- | --- | --- | --- |');
for (const n of names) {
  console.log(`| ${n} | ${median(ms[n]).toFixed(3)} | ${(median(ms.stock) / median(ms[n])).toFixed(2)}x | ${differing(updates[n], updates.stock)} |`);
}
