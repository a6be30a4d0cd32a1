// How far apart two float32 trainings of MobileNetV2 (alpha 0.35, 96x96x3, batch 2) can land: the update of
// one SGD step on cpu vs on cpu with 1e-6 noise added to the input (the noise floor), and vs fedkit's wasm.
// Justifies the per-kind 1e-2 tolerance of src/vision-models-training-parity.spec.ts. Not a test. Build first:
//   npx tsc -b tsconfig.json && node bench/parity-noise-floor.mjs [--seed 1] [--steps 1]
import * as tf from '@tensorflow/tfjs';

import { activateWasm } from '../dist/index.js';
import { mobileNetV2 } from './vision-models.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SEED = arg('seed', 1);
const STEPS = arg('steps', 1);
const BATCH = 2;

function seeded(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    out[i] = s / 0x80000000 - 0.5;
  }
  return out;
}

const build = () => mobileNetV2({ alpha: 0.35, inputShape: [96, 96, 3], classes: 10 });
await tf.setBackend('cpu');
// Seeded initial weights: random arrays replaced by seeded uniform values of the same mean and deviation.
const first = build();
const initial = first.getWeights().map((w, i) => {
  const v = w.dataSync();
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return std === 0 ? v.slice() : seeded(v.length, 1000 * SEED + i).map((u) => mean + u * std * Math.sqrt(12));
});
const names = first.weights.map((w) => w.originalName.split('/').pop());
first.dispose();

async function train(backend, noise) {
  if (backend === 'cpu') await tf.setBackend('cpu');
  else await activateWasm();
  const model = build();
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(initial[i], w.shape)));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  const losses = [];
  for (let step = 0; step < STEPS; step++) {
    const values = seeded(BATCH * 96 * 96 * 3, 100 + step).map((v, i) => v + noise * Math.sin(i * 12.9898));
    const x = tf.tensor(values, [BATCH, 96, 96, 3]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 3], 'int32'), 10));
    losses.push(await model.trainOnBatch(x, y));
    tf.dispose([x, y]);
  }
  const weights = model.getWeights().map((w) => w.dataSync().slice());
  model.dispose();
  return { weights, losses };
}

/** Per kind of weight and over single arrays: ‖Δa − Δb‖₂ / ‖Δb‖₂ of the updates Δ. */
function compare(a, b) {
  const kinds = {};
  let worst = 0;
  a.weights.forEach((w, i) => {
    let diff = 0;
    let norm = 0;
    for (let j = 0; j < w.length; j++) {
      const db = b.weights[i][j] - initial[i][j];
      diff += (w[j] - initial[i][j] - db) ** 2;
      norm += db ** 2;
    }
    kinds[names[i]] ??= [0, 0];
    kinds[names[i]][0] += diff;
    kinds[names[i]][1] += norm;
    if (norm > 0) worst = Math.max(worst, Math.sqrt(diff / norm));
  });
  const perKind = Object.entries(kinds).map(([k, [d, n]]) => `${k} ${(Math.sqrt(d / n) * 100).toFixed(2)} %`);
  const loss = a.losses.map((l, i) => (Math.abs(l - b.losses[i]) / b.losses[i]).toExponential(1));
  return `per kind: ${perKind.join(', ')}; worst single array ${(worst * 100).toFixed(0)} %; loss rel. diff per step ${loss.join(', ')}`;
}

const cpu = await train('cpu', 0);
const noisy = await train('cpu', 1e-6);
const wasm = await train('wasm', 0);
console.log(`MobileNetV2 alpha 0.35, 96x96x3, batch ${BATCH}, ${STEPS} SGD step(s), lr 0.01, seed ${SEED}; update differences vs cpu:`);
console.log(`cpu with 1e-6 input noise: ${compare(noisy, cpu)}`);
console.log(`fedkit wasm:               ${compare(wasm, cpu)}`);
