// Per-call cost of every built-in loss on the tfjs CPU backend (batch 64, 10 classes).
// Run after building: `npx tsc -b tsconfig.json && node bench/loss-call.mjs` (from packages/losses).
import * as tf from '@tensorflow/tfjs';
import { builtInLossPlugins } from '@fedkit/losses';

await tf.setBackend('cpu');
const batch = 64;
const classes = 10;
const ids = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % classes), 'int32');
const probs = tf.tidy(() => tf.softmax(tf.randomNormal([batch, classes], 0, 1, 'float32', 1)));
const oneHot = tf.tidy(() => tf.oneHot(ids, classes).toFloat());
const tensorsBefore = tf.memory().numTensors;
const seen = new Set();
const rows = [];
for (const plugin of builtInLossPlugins()) {
  const loss = plugin.create();
  if (seen.has(loss.name)) continue; // aliases
  seen.add(loss.name);
  const yTrue = ['sparse_categorical_crossentropy', 'categorical_generalized_cross_entropy'].includes(loss.name) ? ids : oneHot;
  for (let i = 0; i < 20; i++) loss.call(yTrue, probs).dispose(); // warm-up
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    for (let i = 0; i < 200; i++) {
      const value = loss.call(yTrue, probs);
      value.dataSync();
      value.dispose();
    }
    runs.push((performance.now() - start) / 200);
  }
  runs.sort((a, b) => a - b);
  rows.push([loss.name, runs[2].toFixed(3)]);
}
console.log(`tensors alive: ${tensorsBefore} before, ${tf.memory().numTensors} after ${seen.size * 1020} calls`);
console.log('| loss | ms per call (median of 5 x 200) |\n| --- | --- |');
for (const [name, ms] of rows) console.log(`| ${name} | ${ms} |`);
