// Local training of one round's clients: all K at once (trainClientsBatched) versus one by one
// (the same function with K = 1, so only the batching differs). 2NN MLP 784-200-200-10 (TFF's
// MNIST 2NN), synthetic data, plain SGD. Prints rounds/s of client training (no aggregation).
//
//   node bench/batched-clients.mjs [--runtime cpu|wasm|gpu] [--clients 10] [--examples 60] [--batch 20] [--reps 3]
//
// Build first: npx tsc -b tsconfig.json (and packages/runtime-wasm for --runtime wasm).
import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, selectRuntime } from '@fedkit/core';
import { registerGpuRuntime, trainClientsBatched } from '../dist/index.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const runtimeName = arg('runtime', 'cpu');
const K = Number(arg('clients', 10));
const n = Number(arg('examples', 60));
const batchSize = Number(arg('batch', 20));
const reps = Number(arg('reps', 3));

const c = registerGpuRuntime(createFedkitContainer());
if (runtimeName === 'wasm' || runtimeName === 'gpu') {
  try {
    (await import('@fedkit/runtime-wasm')).registerWasmRuntime(c);
  } catch (e) {
    console.error(`@fedkit/runtime-wasm not usable (${e.message}); fallback will be cpu`);
  }
}
const { message } = await selectRuntime(c, runtimeName);
console.log(message);

const sizes = [784, 200, 200, 10];
const initial = sizes.slice(1).map((out, i) => ({
  kernel: tf.randomNormal([sizes[i], out], 0, Math.sqrt(2 / (sizes[i] + out)), 'float32', i + 1),
  bias: tf.zeros([out]),
}));
const clients = Array.from({ length: K }, (_, k) => ({
  x: tf.randomUniform([n, 784], 0, 1, 'float32', 100 + k),
  y: tf.tidy(() => tf.oneHot(tf.randomUniform([n], 0, 10, 'int32', 200 + k), 10).toFloat()),
}));
const options = { learningRate: 0.05, batchSize };

async function time(fn) {
  const t0 = performance.now();
  const outs = fn();
  // Read one value back so that asynchronous backends (webgpu) have finished.
  for (const out of outs) await out.kernels[0].data();
  const ms = performance.now() - t0;
  for (const out of outs) tf.dispose([...out.kernels, ...out.biases]);
  return ms;
}
const batched = () => [trainClientsBatched(initial, clients, options)];
const oneByOne = () => clients.map((cl) => trainClientsBatched(initial, [cl], options));

await time(batched); // warm-up (kernel compilation on GPU backends)
await time(oneByOne);
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tb = [];
const ts = [];
for (let r = 0; r < reps; r++) {
  tb.push(await time(batched));
  ts.push(await time(oneByOne));
}
const mb = median(tb);
const ms = median(ts);
console.log(
  `backend ${tf.getBackend()}: ${K} clients x ${n} examples, batch ${batchSize}, 1 epoch, median of ${reps}: ` +
    `batched ${mb.toFixed(0)} ms/round (${(1000 / mb).toFixed(2)} rounds/s, ${((K * n * 1000) / mb).toFixed(0)} ex/s); ` +
    `one by one ${ms.toFixed(0)} ms/round (${(1000 / ms).toFixed(2)} rounds/s, ${((K * n * 1000) / ms).toFixed(0)} ex/s)`,
);
