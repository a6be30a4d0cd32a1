// One B-sized training step of the 2NN (784-200-200-10) through fedkit's local_training (sparse categorical
// crossentropy, accuracy), with the small-batch matmul path on and off, alternating, 60 steps per sample.
// Run after building: `node packages/runtime-wasm/bench/small-mat-mul-step.mjs [batch] [pairs]` (repo root).
import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { TensorSpec } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { localTraining } from '@fedkit/learning';
import { activateWasm, setSmallMatMulEnabled } from '@fedkit/runtime-wasm';

await activateWasm();
const B = Number(process.argv[2] ?? 10);
const pairs = Number(process.argv[3] ?? 11);
const STEPS = 60;
const keras2nn = () =>
  tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
const xs = Array.from({ length: STEPS }, (_, b) => tf.randomUniform([B, 784], 0, 1, 'float32', b));
const ys = Array.from({ length: STEPS }, (_, b) => tf.tensor1d(Array.from({ length: B }, (_, i) => (i + b) % 10), 'int32'));
const model = fromKerasModel(keras2nn(), {
  loss: 'sparse_categorical_crossentropy',
  inputSpec: { x: new TensorSpec([null, 784]), y: new TensorSpec([null], 'int32') },
  metrics: ['accuracy'],
});
const initial = model.trainableVariables.map((v) => v.dataSync().slice());
const weights = { trainable: initial, nonTrainable: [] };

/** ms per step of one pass over the 60 batches, from the same initial weights. */
async function sample(small) {
  setSmallMatMulEnabled(small);
  model.trainableVariables.forEach((v, i) => v.assign(tf.tensor(initial[i], v.shape)));
  const optimizer = tf.train.sgd(0.1);
  // local_training disposes the batches it is given, so it gets copies.
  const dataset = { *[Symbol.iterator]() { for (let b = 0; b < STEPS; b++) yield { x: xs[b].clone(), y: ys[b].clone() }; } };
  const t0 = performance.now();
  const { update } = await localTraining.run({ model, weights, dataset, optimizer, label: 'bench', config: {}, inputs: {} });
  const ms = (performance.now() - t0) / STEPS;
  optimizer.dispose();
  return { ms, update };
}

const on = [];
const off = [];
let last = {};
await sample(true);
await sample(false);
for (let i = 0; i < pairs; i++) {
  for (const small of i % 2 === 0 ? [false, true] : [true, false]) {
    const { ms, update } = await sample(small);
    (small ? on : off).push(ms);
    last[small] = update;
  }
}
setSmallMatMulEnabled(true);
const median = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
const differing = last.true.reduce((n, a, i) => n + a.reduce((m, v, j) => m + (Object.is(v, last.false[i][j]) ? 0 : 1), 0), 0);
console.log(`B=${B}, ${pairs} alternating pairs of ${STEPS} steps: ms per step, small path off ${median(off).toFixed(3)}, on ${median(on).toFixed(3)}: ${(median(off) / median(on)).toFixed(2)}x`);
console.log(`update values that differ between the two paths: ${differing}`);
