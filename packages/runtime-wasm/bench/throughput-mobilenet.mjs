// Training throughput (examples/s) of a MobileNetV2 (alpha 0.35, 96x96x3, 10 classes) on fedkit's wasm
// runtime and on tfjs's cpu backend, at several batch sizes. Backends alternate run by run (wasm, cpu,
// wasm, cpu...) so both see the same machine load; the ratio is the median over the back-to-back pairs.
// Not a test. Build first:
//   npx tsc -b tsconfig.json && node bench/throughput-mobilenet.mjs [--batches 8,32] [--repeats 2] [--steps 2]
// Each run builds a fresh model on its backend, takes 1 warm-up step, then times `--steps` trainOnBatch steps.
import os from 'node:os';

import * as tf from '@tensorflow/tfjs';

import { activateWasm } from '../dist/index.js';
import { mobileNetV2 } from './vision-models.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const BATCHES = arg('batches', '8,32').split(',').map(Number);
const REPEATS = Number(arg('repeats', '2'));
const STEPS = Number(arg('steps', '2'));
const SHAPE = [96, 96, 3];
const CLASSES = 10;

async function run(backend, batch) {
  if (backend === 'cpu') await tf.setBackend('cpu');
  else await activateWasm();
  const model = mobileNetV2({ alpha: 0.35, inputShape: SHAPE, classes: CLASSES });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([batch, ...SHAPE]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % CLASSES), 'int32'), CLASSES));
  await model.trainOnBatch(x, y);
  const start = performance.now();
  for (let s = 0; s < STEPS; s++) await model.trainOnBatch(x, y);
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([x, y]);
  model.dispose();
  return (STEPS * batch) / seconds;
}

const median = (a) => {
  const s = [...a].sort((p, q) => p - q);
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(
  `MobileNetV2 alpha 0.35, 96x96x3, ${CLASSES} classes, trainOnBatch SGD; ${os.cpus().length} cores (${os.cpus()[0]?.model}); ` +
    `${REPEATS} alternating wasm/cpu runs per batch size, 1 warm-up + ${STEPS} timed steps each`,
);
console.log('| batch | wasm ex/s (median) | cpu ex/s (median) | wasm / cpu per pair | median ratio |');
console.log('| ---: | ---: | ---: | --- | ---: |');
for (const batch of BATCHES) {
  const pairs = [];
  for (let r = 0; r < REPEATS; r++) pairs.push({ wasm: await run('wasm', batch), cpu: await run('cpu', batch) });
  const ratios = pairs.map((p) => p.wasm / p.cpu);
  console.log(
    `| ${batch} | ${median(pairs.map((p) => p.wasm)).toFixed(1)} | ${median(pairs.map((p) => p.cpu)).toFixed(2)} | ` +
      `${ratios.map((r) => r.toFixed(1) + 'x').join(', ')} | **${median(ratios).toFixed(1)}x** |`,
  );
}
