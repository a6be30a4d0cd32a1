// What fromKerasModel costs on top of a hand-written tfjs training step.
// Run from packages/keras-adapter after `npx tsc -b tsconfig.json`: node bench/forward-pass-overhead.mjs
// Same maths on both sides: 784-200-200-10 MLP, MSE on one-hot labels, SGD, batch 64, tfjs cpu backend.
// The wrapper adds the input-spec check and the loss / num_examples / num_batches metric updates.
import * as tf from '@tensorflow/tfjs';
import { TensorSpec } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';

const BATCH = 64;
const STEPS = 20;
const REPEATS = 3;

const mlp = () =>
  tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
const x = tf.randomUniform([BATCH, 784], 0, 1, 'float32', 1);
const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10).toFloat();

const raw = mlp();
const rawVars = raw.trainableWeights.map((w) => w.read());
const wrapped = fromKerasModel(mlp(), { loss: 'mse', inputSpec: { x: new TensorSpec([null, 784]), y: new TensorSpec([null, 10]) } });
const opt = tf.train.sgd(0.01);

const rawStep = () => {
  const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, raw.apply(x, { training: true })), rawVars);
  opt.applyGradients(grads);
  tf.dispose([value, ...Object.values(grads)]);
};
const wrappedStep = () => {
  const { value, grads } = tf.variableGrads(() => wrapped.forwardPass({ x, y }).loss, wrapped.trainableVariables);
  opt.applyGradients(grads);
  tf.dispose([value, ...Object.values(grads)]);
};
const time = (step) => {
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) step();
  return (performance.now() - t0) / STEPS;
};

for (let i = 0; i < 3; i++) { rawStep(); wrappedStep(); }
const rawMs = [];
const wrappedMs = [];
const tensorsBefore = tf.memory().numTensors;
for (let r = 0; r < REPEATS; r++) {
  rawMs.push(time(rawStep));
  wrappedMs.push(time(wrappedStep));
}
const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms/step, ${Math.round((BATCH * 1000) / ms)} ex/s`;
console.log(`backend ${tf.getBackend()}, batch ${BATCH}, median of ${REPEATS} x ${STEPS} steps`);
console.log(`raw tfjs loop:        ${fmt(median(rawMs))}`);
console.log(`fromKerasModel loop:  ${fmt(median(wrappedMs))}`);
console.log(`overhead: ${(((median(wrappedMs) / median(rawMs)) - 1) * 100).toFixed(1)}%; tensors leaked: ${tf.memory().numTensors - tensorsBefore}`);
