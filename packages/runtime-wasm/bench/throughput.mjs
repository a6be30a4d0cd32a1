// Training throughput (examples/s) of the 2NN and the CNN on tfjs's cpu backend,
// on wasm as shipped, and on fedkit's wasm runtime; prints a table and the ratios.
// Not a test. Build first:  npx tsc -b tsconfig.json && node bench/throughput.mjs [--seconds 3]
import os from 'node:os';

import * as tf from '@tensorflow/tfjs';

import { activateWasm } from '../dist/index.js';

const argSeconds = process.argv.indexOf('--seconds');
const SECONDS = argSeconds > 0 ? Number(process.argv[argSeconds + 1]) : 3;

/** McMahan et al. 2017's 2NN: 784-200-200-10, ReLU (199,210 parameters). */
function twoNN() {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

/** McMahan et al. 2017's CNN: conv5x5x32-pool-conv5x5x64-pool-512-10, 'same' padding (1,663,370 parameters). */
function cnn() {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 5, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 5, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 512, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

const MODELS = { '2NN': { build: twoNN, input: [784] }, CNN: { build: cnn, input: [28, 28, 1] } };

/**
 * SGD (lr 0.05, categorical crossentropy) with trainOnBatch on synthetic data:
 * `warmup` untimed steps, then steps until `seconds` have passed (at least `minSteps`).
 */
async function examplesPerSecond(modelName, batch, { warmup = 3, seconds = SECONDS, minSteps = 3 } = {}) {
  const { build, input } = MODELS[modelName];
  const model = build();
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([batch, ...input]);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10));
  try {
    for (let i = 0; i < warmup; i++) await model.trainOnBatch(x, y);
    let steps = 0;
    const start = performance.now();
    while (steps < minSteps || performance.now() - start < seconds * 1000) {
      await model.trainOnBatch(x, y);
      steps++;
    }
    const elapsed = (performance.now() - start) / 1000;
    return { value: (steps * batch) / elapsed, note: `${steps} steps` };
  } catch (e) {
    return { value: undefined, note: `fails: ${e.message.split('\n')[0]}` };
  } finally {
    model.dispose();
    tf.dispose([x, y]);
  }
}

const runs = [
  ['2NN', 10],
  ['2NN', 64],
  ['CNN', 10],
  ['CNN', 64],
];
const results = {}; // results[runtime][model b batch]
const key = (m, b) => `${m} b${b}`;

async function measure(runtime, activate, options = () => ({})) {
  await activate();
  results[runtime] = {};
  for (const [m, b] of runs) {
    const opts = options(m, b);
    if (opts === null) {
      results[runtime][key(m, b)] = { value: undefined, note: 'not run (minutes per step)' };
      continue;
    }
    results[runtime][key(m, b)] = await examplesPerSecond(m, b, opts);
    process.stderr.write(`${runtime} ${key(m, b)}: ${JSON.stringify(results[runtime][key(m, b)])}\n`);
  }
}

// The cpu CNN needs about 10 s per batch-10 step: one untimed and one timed step only, batch 64 skipped.
await measure('cpu', () => tf.setBackend('cpu'), (m, b) =>
  m === 'CNN' ? (b === 10 ? { warmup: 1, seconds: 0, minSteps: 1 } : null) : {},
);
await measure('wasm (stock)', () => activateWasm({ trainingKernels: false }));
await measure('wasm (fedkit)', () => activateWasm());

const fmt = (r) => (r.value === undefined ? r.note : r.value.toFixed(r.value < 10 ? 2 : 0));
const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model}), tfjs ${tf.version.tfjs}, wasm SIMD ${simd}, ~${SECONDS} s per cell`);
console.log('');
console.log('| model, batch | cpu | wasm (stock) | wasm (fedkit) | fedkit / cpu | fedkit / stock wasm |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
const ratio = (a, b) => (a?.value !== undefined && b?.value !== undefined ? `${(a.value / b.value).toFixed(1)}x` : 'n/a');
for (const [m, b] of runs) {
  const k = key(m, b);
  const [c, s, f] = ['cpu', 'wasm (stock)', 'wasm (fedkit)'].map((r) => results[r][k]);
  console.log(`| ${m}, ${b} | ${fmt(c)} | ${fmt(s)} | ${fmt(f)} | ${ratio(f, c)} | ${ratio(f, s)} |`);
}
const cpuCnn = results.cpu[key('CNN', 10)];
console.log(`| CNN, 64 vs cpu CNN, 10 | | | | ${ratio(results['wasm (fedkit)'][key('CNN', 64)], cpuCnn)} | |`);
