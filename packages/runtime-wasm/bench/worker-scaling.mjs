// Raw training throughput of the 2NN (784-200-200-10) on fedkit's wasm runtime with 1 and N worker
// threads, each training its own model for a fixed time: the ceiling any parallel executor can reach
// on this machine, without federated learning's per-round work.
// Run after building: `node packages/runtime-wasm/bench/worker-scaling.mjs [batch] [seconds]` (from the repo root).
import { cpus } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  const batch = Number(process.argv[2] ?? 10);
  const seconds = Number(process.argv[3] ?? 6);
  const run = (n) =>
    Promise.all(
      Array.from({ length: n }, () =>
        new Promise((resolve, reject) => {
          const w = new Worker(new URL(import.meta.url), { workerData: { batch, seconds } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
      ),
    ).then((r) => r.reduce((a, b) => a + b, 0));
  const one = await run(1);
  const n = cpus().length;
  const many = await run(n);
  console.log(`2NN, batch ${batch}, ${seconds} s per run, ${n} cores`);
  console.log(`1 worker:  ${one.toFixed(0)} examples/s`);
  console.log(`${n} workers: ${many.toFixed(0)} examples/s (${(many / one).toFixed(2)}x)`);
} else {
  const tf = await import('@tensorflow/tfjs');
  const { activateWasm } = await import('@fedkit/runtime-wasm');
  await activateWasm();
  const { batch, seconds } = workerData;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const optimizer = tf.train.sgd(0.1);
  const x = tf.randomUniform([batch, 784]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10).toFloat();
  const step = () =>
    tf.tidy(() => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)), false));
  for (let i = 0; i < 20; i++) step();
  let examples = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    step();
    examples += batch;
  }
  parentPort.postMessage(examples / ((performance.now() - start) / 1000));
}
