// Peak memory of one FedAvg round over 1,000 sampled clients of the FedAvg paper's 2NN (784-200-200-10,
// 199,210 parameters, 0.8 MB per update), on the wasm runtime, in-process clients of 10 examples each.
// Each mode runs in its own child process, since the kernel's peak RSS (ru_maxrss) only grows:
//   streaming  the weighted mean takes each update as it arrives (what fedkit does)
//   held       the same mean without `accumulate`, so every update is held until the round ends
// Run after building: `npx nx run @fedkit/simulator:build && node apps/simulator/bench/round-memory.mjs`.
// (It lives here because the simulator depends on learning, keras-adapter and runtime-wasm alike.)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLIENTS = 1000;
const EXAMPLES = 10;

if (process.argv[2] === undefined) {
  const rows = [];
  for (const mode of ['streaming', 'held']) {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), mode], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
    rows.push(JSON.parse(r.stdout.trim().split('\n').at(-1)));
  }
  console.log(`One FedAvg round, ${CLIENTS} clients x ${EXAMPLES} examples, 2NN (0.8 MB per update), wasm, in-process:`);
  console.log('| aggregation | idle RSS (MB) | peak RSS during the round (MB) | peak over idle (MB) | round (s) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.mode} | ${r.idle.toFixed(0)} | ${r.peak.toFixed(0)} | ${(r.peak - r.idle).toFixed(0)} | ${r.seconds.toFixed(1)} |`);
  process.exit(0);
}

const mode = process.argv[2];
const tf = await import('@tensorflow/tfjs');
const { createFedkitContainer, selectRuntime, TensorSpec } = await import('@fedkit/core');
const { registerWasmRuntime } = await import('@fedkit/runtime-wasm');
const { fromKerasModel } = await import('@fedkit/keras-adapter');
const { buildWeightedFedAvg, weightedMeanFactory } = await import('@fedkit/learning');

await selectRuntime(registerWasmRuntime(createFedkitContainer()), 'wasm');
const modelFn = () =>
  fromKerasModel(
    tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
        tf.layers.dense({ units: 200, activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    }),
    { loss: 'sparse_categorical_crossentropy', inputSpec: { x: new TensorSpec([null, 784]), y: new TensorSpec([null], 'int32') } },
  );
// Deterministic pseudo-images; one client's data is made when it runs.
const client = (c) => ({
  *[Symbol.iterator]() {
    const x = Float32Array.from({ length: EXAMPLES * 784 }, (_, i) => ((i * 7919 + c * 104729) % 1000) / 1000);
    const y = Int32Array.from({ length: EXAMPLES }, (_, i) => (i + c) % 10);
    yield { x: tf.tensor2d(x, [EXAMPLES, 784]), y: tf.tensor1d(y, 'int32') };
  },
});
const mean = weightedMeanFactory();
// The same arithmetic with only `next`: the composer must then collect every update first.
const held = {
  weighted: true,
  create: (spec) => {
    const a = mean.create(spec);
    const { weighted, valueSpec, stateSpec, measurementsSpec } = a;
    return { weighted, valueSpec, stateSpec, measurementsSpec, initialize: () => a.initialize(), next: (s, v, w) => a.next(s, v, w) };
  },
};
const process_ = buildWeightedFedAvg({
  modelFn,
  clientOptimizer: { name: 'sgd', learningRate: 0.1 },
  modelAggregator: mode === 'held' ? held : mean,
});
let state = process_.initialize();
state = (await process_.next(state, Array.from({ length: 10 }, (_, c) => client(c)))).state; // warm-up
globalThis.gc();
const idle = process.memoryUsage().rss / 2 ** 20;
const t0 = performance.now();
const out = await process_.next(state, Array.from({ length: CLIENTS }, (_, c) => client(c)));
const seconds = (performance.now() - t0) / 1000;
if (out.metrics.failures !== 0) throw new Error(`${out.metrics.failures} clients failed`);
const peak = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ mode, idle, peak, seconds }));
