// Times FedAvg rounds on the tfjs CPU backend: a Keras MLP 784-32-10 (sparse
// categorical crossentropy), 10 clients of 64 random examples in batches of 32.
// Run after building: `npx tsc -b tsconfig.json && node bench/fed-avg-round.mjs`.
import * as tf from '@tensorflow/tfjs';
import { TensorSpec } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { SparseCategoricalCrossentropy } from '@fedkit/losses';

import { buildWeightedFedAvg } from '../dist/index.js';

await tf.setBackend('cpu');
const CLIENTS = 10, EXAMPLES = 64, BATCH = 32, ROUNDS = 5;
const modelFn = () =>
  fromKerasModel(
    tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 32, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })] }),
    { loss: new SparseCategoricalCrossentropy(), inputSpec: { x: new TensorSpec([null, 784]), y: new TensorSpec([null, 1], 'int32') } },
  );
const rows = Array.from({ length: CLIENTS }, (_, c) => ({
  x: Float32Array.from({ length: EXAMPLES * 784 }, (_, i) => ((i * 7919 + c * 104729) % 1000) / 1000),
  y: Int32Array.from({ length: EXAMPLES }, (_, i) => (i + c) % 10),
}));
const clientData = () =>
  rows.map(({ x, y }) => ({
    *[Symbol.iterator]() {
      for (let s = 0; s < EXAMPLES; s += BATCH) {
        yield { x: tf.tensor2d(x.subarray(s * 784, (s + BATCH) * 784), [BATCH, 784]), y: tf.tensor2d(y.subarray(s, s + BATCH), [BATCH, 1], 'int32') };
      }
    },
  }));
const process = buildWeightedFedAvg({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.05) });
let state = process.initialize();
state = (await process.next(state, clientData())).state; // warm-up
const times = [];
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  const out = await process.next(state, clientData());
  times.push(performance.now() - t0);
  state = out.state;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`FedAvg round (${CLIENTS} clients x ${EXAMPLES} ex, MLP 784-32-10, cpu): median ${median.toFixed(0)} ms, ${((CLIENTS * EXAMPLES) / (median / 1000)).toFixed(0)} ex/s; numTensors ${tf.memory().numTensors}`);
