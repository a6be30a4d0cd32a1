// A worker thread on fedkit's wasm runtime that trains the 2NN with a raw optimizer.minimize loop (B=10, SGD 0.1,
// categorical crossentropy) over the shared data: the control for how far two threads of training can scale at
// a given moment, without any federated work. Message { steps } -> { ms }.
import { parentPort, workerData } from 'node:worker_threads';

import * as tf from '@tensorflow/tfjs';
import { activateWasm } from '@fedkit/runtime-wasm';

await activateWasm();
const features = new Float32Array(workerData.x);
const labels = new Int32Array(workerData.y);
const batches = labels.length / 10;
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
    tf.layers.dense({ units: 200, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
const optimizer = tf.train.sgd(0.1);
let next = 0;
function steps(n) {
  for (let s = 0; s < n; s++, next = (next + 1) % batches) {
    tf.tidy(() => {
      const x = tf.tensor2d(features.subarray(next * 7840, (next + 1) * 7840), [10, 784]);
      const y = tf.oneHot(tf.tensor1d(labels.subarray(next * 10, (next + 1) * 10), 'int32'), 10);
      optimizer.minimize(() => tf.mean(tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: true }))), false);
    });
  }
}
steps(30);
parentPort.on('message', ({ steps: n }) => {
  const t0 = performance.now();
  steps(n);
  parentPort.postMessage({ ms: performance.now() - t0 });
});
parentPort.postMessage({ ready: true });
