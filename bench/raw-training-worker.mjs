// A worker thread on fedkit's wasm runtime that trains the 2NN (B=10, SGD 0.1) over the shared data, with no
// federated work: the controls for how far two threads of training can scale at a given moment, and for how fast
// each vCPU is. Messages:
//   { steps }              -> { ms }  a raw optimizer.minimize loop (categorical crossentropy, gradient tape)
//   { steps, fused: true } -> { ms }  the same steps as fedkit takes them (fromKerasModel, FusedSgdOptimizer's
//                                     one-kernel step, sparse crossentropy)
//   { pin: '0' | '1' | '0-1' } -> { pinned }  pins this thread to those vCPUs with taskset (false without taskset)
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

import * as tf from '@tensorflow/tfjs';
import { TensorSpec } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { FusedSgdOptimizer } from '@fedkit/learning';
import { activateWasm } from '@fedkit/runtime-wasm';

await activateWasm();
const features = new Float32Array(workerData.x);
const labels = new Int32Array(workerData.y);
const batches = labels.length / 10;
const twoNn = () =>
  tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
const model = twoNn();
const optimizer = tf.train.sgd(0.1);
const wrapped = fromKerasModel(twoNn(), {
  loss: 'sparse_categorical_crossentropy',
  inputSpec: { x: new TensorSpec([null, 784]), y: new TensorSpec([null], 'int32') },
});
const fusedOptimizer = new FusedSgdOptimizer(0.1);
let next = 0;
function steps(n, fused) {
  for (let s = 0; s < n; s++, next = (next + 1) % batches) {
    tf.tidy(() => {
      const x = tf.tensor2d(features.subarray(next * 7840, (next + 1) * 7840), [10, 784]);
      if (fused) {
        const out = fusedOptimizer.modelStep(wrapped, { x, y: tf.tensor1d(labels.subarray(next * 10, (next + 1) * 10), 'int32') });
        if (out === undefined) throw new Error('the fused step did not run: is the wasm runtime active?');
        return;
      }
      const y = tf.oneHot(tf.tensor1d(labels.subarray(next * 10, (next + 1) * 10), 'int32'), 10);
      optimizer.minimize(() => tf.mean(tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: true }))), false);
    });
  }
}
function pin(cpus) {
  try {
    const tid = readlinkSync('/proc/thread-self').split('/').at(-1);
    execFileSync('taskset', ['-p', '-c', cpus, tid], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
steps(30, false);
steps(100, true);
parentPort.on('message', (m) => {
  if (m.pin !== undefined) {
    parentPort.postMessage({ pinned: pin(m.pin) });
    return;
  }
  const t0 = performance.now();
  steps(m.steps, m.fused === true);
  parentPort.postMessage({ ms: performance.now() - t0 });
});
parentPort.postMessage({ ready: true });
