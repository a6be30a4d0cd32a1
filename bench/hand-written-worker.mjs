// A worker thread with its own, stock tfjs (no fedkit kernels): runs what a tfjs user writes by hand, and the
// spin-loop control. Messages: { kind: 'hand', backend, round } -> { ms }; { kind: 'spin', iterations } -> { ms }.
import { parentPort, workerData } from 'node:worker_threads';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

const { x, y, numClients, perClient } = workerData;
const features = new Float32Array(x);
const labels = new Int32Array(y);

function build2nn() {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

let global;

/** One FedAvg round as a user writes it: per client a fresh compiled model, setWeights, model.fit, then a weighted average. */
async function handWrittenRound() {
  if (global === undefined) {
    const m = build2nn();
    global = m.getWeights().map((w) => w.dataSync().slice());
    m.dispose();
  }
  const sums = global.map((w) => new Float64Array(w.length));
  let total = 0;
  for (let c = 0; c < numClients; c++) {
    const model = build2nn();
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
    const start = model.getWeights().map((w, i) => tf.tensor(global[i], w.shape));
    model.setWeights(start);
    tf.dispose(start);
    const xs = tf.tensor2d(features.subarray(c * perClient * 784, (c + 1) * perClient * 784), [perClient, 784]);
    const ys = tf.tensor1d(labels.subarray(c * perClient, (c + 1) * perClient), 'float32');
    await model.fit(xs, ys, { batchSize: 10, epochs: 1, shuffle: true, verbose: 0 });
    model.getWeights().forEach((w, i) => {
      const v = w.dataSync();
      const s = sums[i];
      for (let k = 0; k < s.length; k++) s[k] += v[k] * perClient;
    });
    total += perClient;
    tf.dispose([xs, ys]);
    model.dispose();
  }
  global = sums.map((s) => Float32Array.from(s, (v) => v / total));
}

function spin(iterations) {
  let a = 1;
  for (let i = 0; i < iterations; i++) a = (a * 1103515245 + 12345) % 2147483647;
  return a;
}

let backend;
parentPort.on('message', async (m) => {
  if (m.kind === 'spin') {
    const t0 = performance.now();
    spin(m.iterations);
    parentPort.postMessage({ ms: performance.now() - t0 });
    return;
  }
  if (backend !== m.backend) {
    await tf.setBackend(m.backend);
    backend = m.backend;
    global = undefined;
  }
  const t0 = performance.now();
  await handWrittenRound();
  parentPort.postMessage({ ms: performance.now() - t0 });
});
parentPort.postMessage({ ready: true });
