// The small-batch matmul path against stock XNNPACK, for a Dense layer's forward product x · W
// (K=784, N=200: the 2NN's first layer) at several batch sizes M, one interleaved run.
// "new W": a new weight tensor every call, as after every SGD step (XNNPACK packs W again each time);
// "same W": the same weights call after call, as in evaluation (XNNPACK's packed copy is reused).
// Run after building: `node packages/runtime-wasm/bench/small-mat-mul.mjs [reps]` (from the repo root).
import * as tf from '@tensorflow/tfjs';
import { activateWasm, setSmallMatMulEnabled } from '@fedkit/runtime-wasm';

await activateWasm();
const reps = Number(process.argv[2] ?? 200);
const K = 784;
const N = 200;
const rounds = 5;

/** Median ms per product of `a · W` with the small path on or off, W new each call or the same. */
function time(a, ws, { small, fresh }) {
  setSmallMatMulEnabled(small);
  const fixed = tf.clone(ws[0]);
  const run = () => {
    for (let i = 0; i < reps; i++) {
      const w = fresh ? tf.clone(ws[i % ws.length]) : fixed;
      tf.matMul(a, w).dispose();
      if (fresh) w.dispose();
    }
  };
  run();
  const t0 = performance.now();
  run();
  fixed.dispose();
  setSmallMatMulEnabled(true);
  return (performance.now() - t0) / reps;
}

console.log(`x · W, W ${K}x${N}, ${reps} products per measurement, medians of ${rounds} interleaved rounds (ms per product; GFLOP/s)`);
console.log('| M | XNNPACK, new W | small path, new W | speedup | XNNPACK, same W | small path, same W |');
console.log('| --- | --- | --- | --- | --- | --- |');
const median = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
for (const M of [1, 4, 10, 16, 32, 50, 64, 128]) {
  const a = tf.randomNormal([M, K]);
  const ws = Array.from({ length: 8 }, () => tf.randomNormal([K, N]));
  const modes = [
    { small: false, fresh: true },
    { small: true, fresh: true },
    { small: false, fresh: false },
    { small: true, fresh: false },
  ];
  const samples = modes.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [0, 1, 2, 3] : [3, 2, 1, 0];
    for (const i of order) samples[i].push(time(a, ws, modes[i]));
  }
  const ms = samples.map(median);
  const gf = (t) => ((2 * M * K * N) / (t / 1000) / 1e9).toFixed(1);
  const cell = (t) => `${t.toFixed(3)} (${gf(t)})`;
  console.log(`| ${M} | ${cell(ms[0])} | ${cell(ms[1])} | ${(ms[0] / ms[1]).toFixed(2)}x | ${cell(ms[2])} | ${cell(ms[3])} |`);
  tf.dispose([a, ...ws]);
}
