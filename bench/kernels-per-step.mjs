// Counts the tfjs kernels of one B=10 training step of the 2NN (784-200-200-10, softmax output), sparse categorical
// crossentropy, SGD 0.1, accuracy metric: fedkit's local_training against a raw optimizer.minimize loop.
// Usage: node bench/kernels-per-step.mjs [cpu|wasm]
import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { TensorSpec } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { localTraining } from '@fedkit/learning';
import { SparseCategoricalAccuracy } from '@fedkit/metrics';

const backend = process.argv[2] ?? 'cpu';
if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
await tf.setBackend(backend);

function keras2nn() {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}
const batch = (b) => ({ x: tf.randomUniform([10, 784], 0, 1, 'float32', b), y: tf.tensor1d(Array.from({ length: 10 }, (_, i) => (i + b) % 10), 'int32') });

/** Kernels per step: (3 steps − 1 step) / 2, so per-client work cancels. */
async function perStep(run) {
  await run(1);
  const count = async (n) => (await tf.profile(() => run(n))).kernels;
  const one = await count(1);
  const three = await count(3);
  const byName = {};
  for (const k of three) byName[k.name] = (byName[k.name] ?? 0) + 1;
  for (const k of one) byName[k.name] -= 1;
  for (const k of Object.keys(byName)) byName[k] /= 2;
  return { perStep: (three.length - one.length) / 2, byName };
}

const model = fromKerasModel(keras2nn(), {
  loss: 'sparse_categorical_crossentropy',
  inputSpec: { x: new TensorSpec([null, 784]), y: new TensorSpec([null], 'int32') },
  metrics: [() => new SparseCategoricalAccuracy()],
});
const weights = { trainable: model.trainableVariables.map((v) => v.dataSync().slice()), nonTrainable: [] };
const fedkit = await perStep(async (n) => {
  const optimizer = tf.train.sgd(0.1);
  const dataset = { *[Symbol.iterator]() { for (let b = 0; b < n; b++) yield batch(b); } };
  await localTraining.run({ model, weights, dataset, optimizer, label: 'client 0', config: {}, inputs: {} });
  optimizer.dispose();
});

const raw = keras2nn();
const rawStep = (loss) => async (n) => {
  const optimizer = tf.train.sgd(0.1);
  for (let b = 0; b < n; b++) {
    const { x, y } = batch(b);
    const oneHot = tf.oneHot(y, 10).toFloat();
    optimizer.minimize(() => loss(oneHot, y, raw.apply(x, { training: true })), false, raw.trainableWeights.map((w) => w.read()));
    tf.dispose([x, y, oneHot]);
  }
  optimizer.dispose();
};
const rawCce = await perStep(rawStep((oneHot, _y, p) => tf.mean(tf.metrics.categoricalCrossentropy(oneHot, p))));

console.log(`backend ${backend}`);
console.log('| loop | kernels per B=10 step |');
console.log('| --- | --- |');
console.log(`| fedkit local_training (sparse crossentropy + accuracy, loss, counters) | ${fedkit.perStep} |`);
console.log(`| raw optimizer.minimize, categorical crossentropy, no metrics | ${rawCce.perStep} |`);
if (process.argv.includes('--by-kernel')) console.log(JSON.stringify(fedkit.byName));
