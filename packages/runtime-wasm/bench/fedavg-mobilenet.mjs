// One FedAvg round (then a second one) over a real-sized MobileNetV2 on fedkit's wasm runtime:
// 2 clients x 2 images of 224x224x3, one batch of 2 each, client SGD lr 0.01. Prints the time per round,
// the failed clients and the live tensor count after each round (flat from round 1 to round 2 = no leak).
// Not a test. From this directory, after building the workspace (npx nx run-many -t build):
//   node bench/fedavg-mobilenet.mjs [--alpha 1] [--classes 1000] [--rounds 2]
import 'reflect-metadata';

import * as tf from '@tensorflow/tfjs';
import { TensorSpec } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { buildWeightedFedAvg } from '@fedkit/learning';

import { activateWasm } from '../dist/index.js';
import { mobileNetV2 } from './vision-models.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const alpha = arg('alpha', 1);
const classes = arg('classes', 1000);
const rounds = arg('rounds', 2);
const SIZE = 224;
const CLIENTS = 2;
const IMAGES = 2;

await activateWasm();
let params = 0;
const modelFn = () => {
  const keras = mobileNetV2({ alpha, inputShape: [SIZE, SIZE, 3], classes });
  params = keras.countParams();
  return fromKerasModel(keras, {
    loss: 'categorical_crossentropy',
    inputSpec: { x: new TensorSpec([null, SIZE, SIZE, 3]), y: new TensorSpec([null, classes]) },
  });
};

/** A re-iterable client dataset: fresh tensors on each pass (the process disposes batches it trained on). */
function clientData(client) {
  return {
    *[Symbol.iterator]() {
      yield tf.tidy(() => ({
        x: tf.randomUniform([IMAGES, SIZE, SIZE, 3], 0, 1, 'float32', 17 + client),
        y: tf.oneHot(tf.tensor1d([client, client + 1], 'int32'), classes).toFloat(),
      }));
    },
  };
}

const process_ = buildWeightedFedAvg({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.01) });
let state = process_.initialize();
const data = Array.from({ length: CLIENTS }, (_, c) => clientData(c));
console.log(
  `MobileNetV2 alpha ${alpha}, ${SIZE}x${SIZE}x3, ${classes} classes: ${params.toLocaleString('en-US')} parameters; ` +
    `backend ${tf.getBackend()}; ${CLIENTS} clients x ${IMAGES} images`,
);
console.log('round | seconds | failed clients | loss | live tensors after the round');
const counts = [];
for (let round = 1; round <= rounds; round++) {
  const start = performance.now();
  const out = await process_.next(state, data);
  const seconds = (performance.now() - start) / 1000;
  state = out.state;
  counts.push(tf.memory().numTensors);
  const failures = out.metrics.failures;
  const errors = out.clientReports.filter((r) => !r.ok).map((r) => r.error);
  console.log(`${round} | ${seconds.toFixed(1)} | ${failures}${errors.length ? ` (${errors.join('; ')})` : ''} | ${out.metrics.client_work.train.loss.toFixed(4)} | ${counts.at(-1)}`);
}
console.log(`tensor count ${counts.every((c) => c === counts[0]) ? 'flat' : 'GROWS'} across rounds: ${counts.join(' -> ')}`);
