// Which kernels one training step of MobileNetV2 (alpha 1.0, 224x224x3, 1000 classes, batch 2) spends its
// time in on fedkit's wasm runtime (tf.profile; the top 18 by total kernel time). Not a test. Build first:
//   npx tsc -b tsconfig.json && node bench/profile-mobilenet-step.mjs [--size 224] [--batch 2]
import * as tf from '@tensorflow/tfjs';

import { activateWasm } from '../dist/index.js';
import { mobileNetV2 } from './vision-models.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const size = arg('size', 224);
const batch = arg('batch', 2);

await activateWasm();
const model = mobileNetV2({ alpha: 1, inputShape: [size, size, 3], classes: 1000 });
const optimizer = tf.train.sgd(0.01);
const x = tf.randomUniform([batch, size, size, 3]);
const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i), 'int32'), 1000));
const step = () => tf.dispose(optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })), true));
step();
step();
const start = performance.now();
step();
console.log(`one step: ${(performance.now() - start).toFixed(0)} ms (MobileNetV2 alpha 1, ${size}x${size}x3, batch ${batch}, wasm)`);
const info = await tf.profile(() => step());
const byKernel = {};
for (const k of info.kernels) {
  byKernel[k.name] ??= { ms: 0, calls: 0 };
  byKernel[k.name].ms += await k.kernelTimeMs;
  byKernel[k.name].calls++;
}
const total = Object.values(byKernel).reduce((s, k) => s + k.ms, 0);
console.log(`kernel time in the profiled step: ${total.toFixed(0)} ms`);
console.log('| kernel | ms | calls |\n| --- | ---: | ---: |');
for (const [name, k] of Object.entries(byKernel).sort((a, b) => b[1].ms - a[1].ms).slice(0, 18)) {
  console.log(`| ${name} | ${k.ms.toFixed(0)} | ${k.calls} |`);
}
