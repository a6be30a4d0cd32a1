// Every row of issue 21's table from ONE interleaved run: FedAvg rounds of the 2NN (784-200-200-10) over
// 10 clients x 600 MNIST examples, E=1, B=10, SGD 0.1, measured in alternating order each cycle, with a
// two-thread spin loop, two threads of raw training (raw-training-worker.mjs: tfjs's minimize, and the fused step
// fedkit takes) and each vCPU's speed (one training thread pinned to each in turn) measured at the same moments as
// the controls for how much two threads can scale now; also how busy the main thread is during a worker round
// and how many cores the whole process uses.
//
// Usage (after `npx nx run-many -t build`): node bench/round-bench.mjs [--cycles 5] [--quiet-cycles 7]
// Prints a markdown table: medians over the cycles, with min and max. With --quiet-cycles N, then a second table:
// 2 worker threads vs 1 in N more alternating cycles, each kept only if two threads of raw training (the fused
// control) scaled >= 1.9x just before and just after it (the issue's "measured while the host was quiet", when
// "raw training alone scales 1.90x at the same moments"), trying for at most 10 minutes. With --paired N, then a
// third: N short cycles, each one 2-worker round, one 1-worker round and one reading of the fused control within
// about two seconds, so that each ratio and its control see the same moments of the host (no cycle is dropped).
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, selectRuntime, ModelWeights } from '@fedkit/core';
import { ClientBatches, loadMnist } from '@fedkit/datasets';
import { buildWeightedFedAvg, InProcessExecutor, modelEnvironment, WorkerPoolExecutor } from '@fedkit/learning';
import { environmentModuleUrl, mnist2nn, registerBuiltins, taskModelFactory } from '@fedkit/simulator';

const USAGE = 'Usage (after `npx nx run-many -t build`): node bench/round-bench.mjs [--cycles N] [--quiet-cycles N] [--paired N]\n' +
  '  --cycles N        alternating cycles of every row (default 5, at least 1)\n' +
  '  --quiet-cycles N  then N cycles of 2 workers vs 1 kept while the host is quiet (default 0: none)\n' +
  '  --paired N        then N short cycles of one 2-worker round, one 1-worker round and the fused control (default 0: none)';
let args;
try {
  args = parseArgs({ options: { cycles: { type: 'string' }, 'quiet-cycles': { type: 'string' }, paired: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
/** A whole-number option, or its default when absent; anything else stops the run before it measures. */
function count(name, fallback, min) {
  const raw = args[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} expects a whole number >= ${min}, found "${raw}".\n${USAGE}`);
    process.exit(2);
  }
  return n;
}
const cycles = count('cycles', 5, 1);
const quietCycles = count('quiet-cycles', 0, 0);
const pairedCycles = count('paired', 0, 0);
const NUM_CLIENTS = 10;
const PER_CLIENT = 600;
const SPIN = 150_000_000;

// ---- data: the first 6,000 training examples, client c holding rows c*600 .. c*600+599
const { train } = loadMnist({ seed: 0 });
const xs = new Float32Array(new SharedArrayBuffer(NUM_CLIENTS * PER_CLIENT * 784 * 4));
xs.set(train.x.subarray(0, NUM_CLIENTS * PER_CLIENT * 784));
const ys = new Int32Array(new SharedArrayBuffer(NUM_CLIENTS * PER_CLIENT * 4));
ys.set(train.y.subarray(0, NUM_CLIENTS * PER_CLIENT));
const indicesOf = (c) => Array.from({ length: PER_CLIENT }, (_, i) => c * PER_CLIENT + i);

// ---- fedkit: the main thread runs on fedkit's wasm runtime, as the simulator does
const container = registerBuiltins(createFedkitContainer());
await selectRuntime(container, 'wasm');
const models = taskModelFactory(mnist2nn, 0);
const clientOptimizer = { name: 'sgd', learningRate: 0.1 };
const environment = { module: environmentModuleUrl(), options: { task: 'mnist-2nn', seed: 0, runtime: 'wasm', plugins: [] } };

async function fedkitRunner(executor) {
  const process = buildWeightedFedAvg({ modelFn: models.modelFn, clientOptimizer, executor });
  let state = process.initialize();
  let round = 0;
  return async () => {
    round += 1;
    const data = Array.from({ length: NUM_CLIENTS }, (_, c) => new ClientBatches(train, { indices: indicesOf(c), batchSize: 10, epochs: 1, shuffleSeed: `b:${round}:${c}` }));
    const t0 = performance.now();
    const out = await process.next(state, data, { round });
    const ms = performance.now() - t0;
    state = out.state;
    return ms;
  };
}
const pool2 = new WorkerPoolExecutor({ environment, sharedData: train, numWorkers: 2 });
const pool1 = new WorkerPoolExecutor({ environment, sharedData: train, numWorkers: 1 });
await Promise.all([pool2.start(), pool1.start()]);
const inProcessModel = models.modelFn();
const fedkit2 = await fedkitRunner(pool2);
const fedkit1 = await fedkitRunner(pool1);
const fedkitInProcess = await fedkitRunner(new InProcessExecutor(modelEnvironment(inProcessModel)));

// ---- a raw optimizer.minimize loop over the same 6,000 examples, same runtime, same model shape
const rawModel = mnist2nn.createKerasModel(0);
const rawVars = rawModel.trainableWeights.map((w) => w.read());
async function rawMinimizeRound() {
  const t0 = performance.now();
  const optimizer = tf.train.sgd(0.1);
  for (let b = 0; b < (NUM_CLIENTS * PER_CLIENT) / 10; b++) {
    const x = tf.tensor2d(xs.subarray(b * 7840, (b + 1) * 7840), [10, 784]);
    const y = tf.oneHot(tf.tensor1d(ys.subarray(b * 10, (b + 1) * 10), 'int32'), 10);
    optimizer.minimize(() => tf.mean(tf.metrics.categoricalCrossentropy(y, rawModel.apply(x, { training: true }))), false, rawVars);
    tf.dispose([x, y]);
  }
  optimizer.dispose();
  return performance.now() - t0;
}

// ---- matmul peak of this runtime (one core): the best of three shapes, each with the same W call after call
// (XNNPACK's packed W reused, or the small-batch kernel where it runs), so the peak is what the runtime can
// reach on a product, not what a shape or a repacking costs. The FLOPs of one B=10 step are below.
function matmulGflops() {
  let best = 0;
  for (const [m, k, n] of [[512, 784, 512], [128, 784, 200], [32, 784, 200]]) {
    const a = tf.randomUniform([m, k]);
    const b = tf.randomUniform([k, n]);
    tf.matMul(a, b).dispose();
    const reps = Math.max(20, Math.round(4e9 / (2 * m * k * n)));
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) tf.matMul(a, b).dispose();
    tf.matMul(a, b).dataSync();
    const s = (performance.now() - t0) / 1000;
    tf.dispose([a, b]);
    best = Math.max(best, (2 * m * k * n * (reps + 1)) / s / 1e9);
  }
  return best;
}
// Forward x·W, dW = xᵀ·dY and dX = dY·Wᵀ (not needed for the first layer): 2·B·(3·W − W₁) flops.
const W = 784 * 200 + 200 * 200 + 200 * 10;
const STEP_FLOPS = 2 * 10 * (3 * W - 784 * 200);

// ---- stock-tfjs workers: the hand-written loop (cpu, wasm) and the spin control
const workerUrl = new URL('./hand-written-worker.mjs', import.meta.url);
const startWorker = () =>
  new Promise((resolve) => {
    const w = new Worker(workerUrl, { workerData: { x: xs.buffer, y: ys.buffer, numClients: NUM_CLIENTS, perClient: PER_CLIENT } });
    w.once('message', () => resolve(w));
  });
const [handCpu, handWasm, spinA, spinB] = await Promise.all([startWorker(), startWorker(), startWorker(), startWorker()]);
const rawUrl = new URL('./raw-training-worker.mjs', import.meta.url);
const startRaw = () =>
  new Promise((resolve) => {
    const w = new Worker(rawUrl, { workerData: { x: xs.buffer, y: ys.buffer } });
    w.once('message', () => resolve(w));
  });
const [rawA, rawB] = await Promise.all([startRaw(), startRaw()]);
const ask = (w, m) => new Promise((resolve) => { w.once('message', (r) => resolve(r.ms)); w.postMessage(m); });
async function spinScaling() {
  const one = await ask(spinA, { kind: 'spin', iterations: SPIN });
  const t0 = performance.now();
  await Promise.all([ask(spinA, { kind: 'spin', iterations: SPIN }), ask(spinB, { kind: 'spin', iterations: SPIN })]);
  return (2 * one) / (performance.now() - t0);
}

// The second control: raw training (no federated work) in one worker thread, then in two at once, same steps:
// tfjs's optimizer.minimize (gradient tape), and the steps as fedkit takes them (the fused one-kernel step).
const RAW_STEPS = 300;
const FUSED_STEPS = 600;
const rawScalingOf = (message) => async () => {
  const one = await ask(rawA, message);
  const t0 = performance.now();
  await Promise.all([ask(rawA, message), ask(rawB, message)]);
  return (2 * one) / (performance.now() - t0);
};
const rawScaling = rawScalingOf({ steps: RAW_STEPS });
const fusedScaling = rawScalingOf({ steps: FUSED_STEPS, fused: true });

// The third control: how fast each vCPU is at this moment, for the same fused steps, by pinning one training thread
// to vCPU 0, then to vCPU 1 (taskset on the thread). On this shared host one vCPU is at times far slower than the
// other (105 vs 150 ms for the same steps); two threads then cannot beat 1 + slower/faster over one thread on
// the faster vCPU, whatever the software does. NaN where taskset is missing.
const pinTo = (w, cpus) => new Promise((resolve) => { w.once('message', (r) => resolve(r.pinned)); w.postMessage({ pin: cpus }); });
async function vcpuSpeedRatio() {
  const times = [];
  for (const cpu of ['0', '1']) {
    if (!(await pinTo(rawA, cpu))) return Number.NaN;
    times.push(await ask(rawA, { steps: FUSED_STEPS, fused: true }));
  }
  await pinTo(rawA, `0-${Math.max(1, availableParallelism() - 1)}`);
  return Math.min(...times) / Math.max(...times);
}

// Measured rounds with how busy the main thread was (event-loop utilization) and how many cores the whole
// process used (all threads: workers, V8's helper threads for GC and compilation, the main thread).
function withLoad(run, key) {
  return async () => {
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const ms = await run();
    const wall = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    samples[`${key}MainBusy`].push(performance.eventLoopUtilization(elu).utilization);
    samples[`${key}Cores`].push((used.user + used.system) / 1000 / wall);
    return ms;
  };
}

// ---- warm-up. V8 compiles tfjs's JavaScript per thread, and each of 2 workers sees half the clients of 1, so
// early rounds measure compilation: 2-worker rounds took 0.93, 0.55, 0.48, 0.40 ... 0.35 s and settled at
// 0.28-0.29 s from round 10 (helper-thread CPU per round 0.7 s down to 0.07 s); 1-worker and in-process rounds
// settled at about 0.42-0.45 s from round 9. Twelve rounds each, so that the cycles measure the steady state a
// long run spends its rounds in; the hand-written loops get 3 (stock wasm) and 1 (cpu, 12 s each) warm-up rounds.
const WARMUP_ROUNDS = 12;
for (let i = 0; i < WARMUP_ROUNDS; i++) { await fedkit2(); await fedkit1(); await fedkitInProcess(); await rawMinimizeRound(); }
for (let i = 0; i < 3; i++) await ask(handWasm, { kind: 'hand', backend: 'wasm' });
await ask(handCpu, { kind: 'hand', backend: 'cpu' });

// A sample of fedkit (and of the raw loop) is the mean of 3 consecutive rounds after 3 unmeasured ones, because a
// federated run spends its rounds back to back and a pool's first rounds after other work are slower: after the long
// hand-written rounds a 2-worker round took 0.53-0.97 s against 0.28 s back to back, and after 8 s of other threads'
// training or of a pause after the other pool's rounds, the 2-worker pool's first two rounds took 165-206 and 141-172
// ms against mostly 107-142 ms later, the 1-worker pool's first one 277-305 ms against 195-227 ms later (medians of
// 4-6 repeats, five runs). A 2-worker round is 5 clients per worker, so the slow stretch spans two of its rounds and
// one of a 1-worker pool's: with one unmeasured round, the 2-worker samples of the reversed cycles (which reach the
// pools after the other work) were 17-28% longer than those of the forward cycles (which follow the previous cycle's
// 2-worker sample) in all five runs of 2026-11-29 17:27-18:15, the 1-worker samples 2-9%. The hand-written rounds
// are 10-40x longer, one per cycle.
const ROUNDS_PER_SAMPLE = 3;
const UNMEASURED_ROUNDS = 3;
const consecutive = (run, key, rounds = ROUNDS_PER_SAMPLE) => {
  const measured = async () => {
    let total = 0;
    for (let i = 0; i < rounds; i++) total += await run();
    return total / rounds;
  };
  const sample = key === undefined ? measured : withLoad(measured, key);
  return async () => {
    for (let i = 0; i < UNMEASURED_ROUNDS; i++) await run();
    return sample();
  };
};
// The scaling controls sit next to the worker rounds they judge (in both directions of a cycle), not after the
// hand-written cpu round's 12-20 s.
const steps = [
  ['fedkit2', consecutive(fedkit2, 'fedkit2')],
  ['fedkit1', consecutive(fedkit1, 'fedkit1')],
  ['spin', spinScaling],
  ['fusedScaling', fusedScaling],
  ['vcpuSpeed', vcpuSpeedRatio],
  ['rawScaling', rawScaling],
  ['inProcess', consecutive(fedkitInProcess)],
  ['raw', consecutive(rawMinimizeRound)],
  ['handWasm', () => ask(handWasm, { kind: 'hand', backend: 'wasm' })],
  ['handCpu', () => ask(handCpu, { kind: 'hand', backend: 'cpu' })],
  ['gflops', async () => matmulGflops()],
];
const samples = Object.fromEntries([...steps.map(([k]) => k), 'fedkit2MainBusy', 'fedkit2Cores', 'fedkit1MainBusy', 'fedkit1Cores'].map((k) => [k, []]));
for (let c = 0; c < cycles; c++) {
  const order = c % 2 === 0 ? steps : [...steps].reverse();
  for (const [k, f] of order) samples[k].push(await f());
  process.stderr.write(`cycle ${c + 1}/${cycles}: ${steps.map(([k]) => `${k} ${samples[k].at(-1).toFixed(['spin', 'rawScaling', 'fusedScaling', 'vcpuSpeed'].includes(k) ? 2 : 0)}`).join(', ')}\n`);
}

// Ratios are formed per cycle (same moments), then summarised.
const per = (f) => samples.fedkit2.map((_, i) => f(i));
// The cycles in which the host was quiet in the sense that matters for scaling: both vCPUs equally fast.
const SAME_SPEED = 0.95;
const quiet = samples.vcpuSpeed.flatMap((r, i) => (r >= SAME_SPEED ? [i] : []));
// A round is NUM_CLIENTS equal clients, each trained whole by one thread, so two threads on vCPUs of unequal speed
// cannot share its work evenly: at speed ratio r (slower / faster) the best split runs k clients on the faster vCPU and
// the rest on the slower, and the round lasts max(k, (NUM_CLIENTS - k) / r) client-times of the faster vCPU, against
// NUM_CLIENTS for one thread there. E.g. 10 clients: r = 1 gives 2x, r = 0.9 gives 10 / 5.56 = 1.80x, r = 0.7 gives
// 10 / 6 = 1.67x (where 1 + r says 1.9x and 1.7x).
const wholeClientCeiling = (r) => NUM_CLIENTS / Math.min(...Array.from({ length: NUM_CLIENTS + 1 }, (_, k) => Math.max(k, (NUM_CLIENTS - k) / r)));
const rows = [
  ['FedAvg round, fedkit (2 workers) vs the hand-written loop on cpu', per((i) => samples.handCpu[i] / samples.fedkit2[i]), 'x', '>= 20x'],
  ['same vs the hand-written loop on stock wasm', per((i) => samples.handWasm[i] / samples.fedkit2[i]), 'x', '>= 6x'],
  ['one in-process round vs a raw optimizer.minimize loop (same 6,000 examples)', per((i) => samples.inProcess[i] / samples.raw[i]), 'x', '<= 1.1x'],
  ['2 worker threads vs 1 (round throughput)', per((i) => samples.fedkit1[i] / samples.fedkit2[i]), 'x', '>= 1.8x'],
  [`same, the cycles whose vCPUs ran at one speed (slower / faster >= ${SAME_SPEED}; ${quiet.length} of ${cycles})`, quiet.map((i) => samples.fedkit1[i] / samples.fedkit2[i]), 'x', '>= 1.8x'],
  ['control: a plain two-thread spin loop, 2 threads vs 1', samples.spin, 'x', 'about 2x on a quiet host'],
  ['control: raw training (optimizer.minimize, fedkit wasm runtime, no federated work), 2 threads vs 1', samples.rawScaling, 'x', 'the ceiling for the row above it'],
  ['control: raw training as fedkit steps (the fused one-kernel step, no federated work), 2 threads vs 1', samples.fusedScaling, 'x', 'the same, for the step fedkit runs'],
  ['2 vs 1 over the fused raw-training control of the same cycle (how much of the scaling the host gave raw training fedkit gets)', per((i) => samples.fedkit1[i] / samples.fedkit2[i] / samples.fusedScaling[i]), '', 'about 1: no loss to federated work'],
  ['control: vCPU speeds for the same fused steps (pinned with taskset), slower / faster', samples.vcpuSpeed, '', 'about 1 on a quiet host'],
  ['ceiling for 2 vs 1 at those speeds (1 + slower / faster)', samples.vcpuSpeed.map((r) => 1 + r), 'x', 'the most two threads can give'],
  [`the same ceiling when each of the ${NUM_CLIENTS} equal clients trains whole on one thread (best split of the round)`, samples.vcpuSpeed.map(wholeClientCeiling), 'x', 'the most whole clients can give'],
  ['cores the whole process used during a 1-worker round (worker, V8 helper threads, main thread)', samples.fedkit1Cores, '', 'information'],
  ['cores the whole process used during a 2-worker round', samples.fedkit2Cores, '', 'information'],
  ['main thread busy share during a 2-worker round (event-loop utilization)', samples.fedkit2MainBusy.map((u) => 100 * u), '%', 'small: off the critical path'],
  ['share of the measured matmul peak reached by a B=10 step (in-process)', per((i) => (100 * STEP_FLOPS * (NUM_CLIENTS * PER_CLIENT / 10)) / (samples.inProcess[i] / 1000) / (samples.gflops[i] * 1e9)), '%', '>= 25%'],
];
const stat = (v) => {
  if (v.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: mid, min: s[0], max: s.at(-1) };
};
/** Median (min-max) of round times in ms, written in seconds. */
const seconds = (v) => { const s = stat(v); return `${(s.median / 1000).toFixed(2)} s (${(s.min / 1000).toFixed(2)}-${(s.max / 1000).toFixed(2)})`; };
const ms = (k) => seconds(samples[k]);

// ---- 2 vs 1 while the host is quiet. The cycles above take the host as it comes, and on this shared host the two
// vCPUs give training two full cores only at times: one vCPU often runs the same steps far slower than the other,
// and at equal speeds two threads of training may still share one physical core (the fused control then scales
// about 1.5x while a spin loop scales 2x). The issue's goal is stated for the moments when raw training alone
// scales 1.90x, so here a cycle counts only if the fused raw-training control reads >= FULL_CORES right before it
// and right after it (the rounds' own times play no part in the choice); between tries the bench waits 2 s. Each
// kept cycle is a 2-worker and a 1-worker sample (order alternating between kept cycles), with the two control
// readings around them and the pinned vCPU speeds after them.
const FULL_CORES = 1.9;
const gated = { fedkit2: [], fedkit1: [], before: [], after: [], speed: [], tries: 0 };
if (quietCycles > 0) {
  const sample2 = consecutive(fedkit2);
  const sample1 = consecutive(fedkit1);
  const deadline = performance.now() + 10 * 60_000;
  while (gated.fedkit2.length < quietCycles && performance.now() < deadline) {
    gated.tries += 1;
    const before = await fusedScaling();
    if (!(before >= FULL_CORES)) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      continue;
    }
    const forward = gated.fedkit2.length % 2 === 0;
    const first = await (forward ? sample2 : sample1)();
    const second = await (forward ? sample1 : sample2)();
    const after = await fusedScaling();
    if (!(after >= FULL_CORES)) continue;
    gated.fedkit2.push(forward ? first : second);
    gated.fedkit1.push(forward ? second : first);
    gated.before.push(before);
    gated.after.push(after);
    gated.speed.push(await vcpuSpeedRatio());
    process.stderr.write(
      `quiet cycle ${gated.fedkit2.length}/${quietCycles} (try ${gated.tries}): fedkit2 ${gated.fedkit2.at(-1).toFixed(0)}, fedkit1 ${gated.fedkit1.at(-1).toFixed(0)}, ` +
        `fusedScaling ${before.toFixed(2)} / ${after.toFixed(2)}, vcpuSpeed ${gated.speed.at(-1).toFixed(2)}\n`,
    );
  }
}

// ---- 2 vs 1 and its control, paired tightly. A cycle above spans the hand-written rounds (12-20 s), and the host's
// speed changes within seconds (a 1-worker round of 0.20 s in one sample and 0.30 s in the next), so a ratio and its
// control are formed from readings seconds apart; the quiet cycles keep only cycles whose control read high, which
// biases the control's readings upward. Here each cycle is one 2-worker round and one 1-worker round (each after the
// unmeasured rounds of the samples above) and one reading of the fused raw-training control, in alternating order,
// within about two seconds, and every cycle counts: a ratio over its control then says how much of the scaling the host
// gave two threads of training at that moment fedkit's round got.
const paired = { fedkit2: [], fedkit1: [], control: [] };
if (pairedCycles > 0) {
  const parts = [['fedkit2', consecutive(fedkit2, undefined, 1)], ['fedkit1', consecutive(fedkit1, undefined, 1)], ['control', fusedScaling]];
  for (let c = 0; c < pairedCycles; c++) {
    for (const [k, f] of c % 2 === 0 ? parts : [...parts].reverse()) paired[k].push(await f());
    process.stderr.write(`paired cycle ${c + 1}/${pairedCycles}: fedkit2 ${paired.fedkit2.at(-1).toFixed(0)}, fedkit1 ${paired.fedkit1.at(-1).toFixed(0)}, fusedScaling ${paired.control.at(-1).toFixed(2)}\n`);
  }
}

const kernels = execFileSync(process.execPath, [fileURLToPath(new URL('./kernels-per-step.mjs', import.meta.url)), 'cpu'], { encoding: 'utf8' })
  .split('\n').filter((l) => l.startsWith('| fedkit') || l.startsWith('| raw')).map((l) => l.split('|')[2].trim());

/** Prints a markdown table of [name, values, unit, goal] rows: median, min and max of each row's values. */
function printTable(tableRows) {
  console.log('| measure | median | min | max | goal |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, v, unit, goal] of tableRows) {
    if (v.length === 0) {
      console.log(`| ${name} | none | | | ${goal} |`);
      continue;
    }
    const s = stat(v);
    const f = (n) => `${n.toFixed(unit === '%' ? 1 : 2)}${unit}`;
    console.log(`| ${name} | ${f(s.median)} | ${f(s.min)} | ${f(s.max)} | ${goal} |`);
  }
}

console.log(`\n${cycles} alternating cycles; medians (min-max), ratios formed per cycle.\n`);
printTable(rows);
console.log(`| tfjs kernels per training step (B=10), cpu backend | ${kernels[0]} | | | <= 110 (raw minimize with categorical crossentropy: ${kernels[1]}) |`);
console.log(`\nRound times: fedkit 2 workers ${ms('fedkit2')}, 1 worker ${ms('fedkit1')}, in-process ${ms('inProcess')}; raw minimize ${ms('raw')}; ` +
  `hand-written cpu ${ms('handCpu')}, stock wasm ${ms('handWasm')}; matmul peak ${stat(samples.gflops).median.toFixed(1)} GFLOP/s (wasm, 1 thread).`);
if (quietCycles > 0) {
  const ratios = gated.fedkit2.map((t, i) => gated.fedkit1[i] / t);
  const control = gated.before.map((b, i) => (b + gated.after[i]) / 2);
  const quietRows = [
    [`2 worker threads vs 1 (round throughput), cycles kept while raw training scaled >= ${FULL_CORES}x (${ratios.length} kept of ${gated.tries} tries)`, ratios, 'x', '>= 1.8x'],
    ['control: raw training as fedkit steps (the fused one-kernel step), 2 threads vs 1, mean of the readings before and after each kept cycle', control, 'x', 'the ceiling for the row above it'],
    ['2 vs 1 over that control, per cycle', ratios.map((r, i) => r / control[i]), '', 'about 1: no loss to federated work'],
    ['control: vCPU speeds for the same fused steps (pinned), slower / faster, after each kept cycle', gated.speed, '', 'about 1'],
    [`ceiling for 2 vs 1 at those speeds with ${NUM_CLIENTS} whole clients (best split of the round)`, gated.speed.map(wholeClientCeiling), 'x', 'the most whole clients can give'],
  ];
  console.log(`\nThe host quiet: cycles kept only when the fused raw-training control read >= ${FULL_CORES}x right before and right after.\n`);
  printTable(quietRows);
  if (ratios.length > 0) console.log(`\nRound times in the kept cycles: 2 workers ${seconds(gated.fedkit2)}, 1 worker ${seconds(gated.fedkit1)}.`);
}

if (pairedCycles > 0) {
  const ratios = paired.fedkit2.map((t, i) => paired.fedkit1[i] / t);
  console.log(`\nPaired: ${pairedCycles} cycles of one 2-worker round, one 1-worker round and one reading of the fused control, within about two seconds each; every cycle kept.\n`);
  printTable([
    ['2 worker threads vs 1 (round throughput), one round each per cycle', ratios, 'x', '>= 1.8x'],
    ['control: raw training as fedkit steps (the fused one-kernel step), 2 threads vs 1, same cycles', paired.control, 'x', 'the ceiling for the row above it'],
    ['2 vs 1 over that control, per cycle', ratios.map((r, i) => r / paired.control[i]), '', 'about 1: no loss to federated work'],
  ]);
  // A run's throughput is its rounds over its time, so the slow rounds count in full: the mean round times' ratio.
  const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
  console.log(`\nRound times in the paired cycles: 2 workers ${seconds(paired.fedkit2)}, 1 worker ${seconds(paired.fedkit1)}; ` +
    `1 worker over 2, median round times ${(stat(paired.fedkit1).median / stat(paired.fedkit2).median).toFixed(2)}x, mean round times (throughput over these rounds) ${(mean(paired.fedkit1) / mean(paired.fedkit2)).toFixed(2)}x.`);
}

await Promise.all([pool1.close(), pool2.close(), ...[handCpu, handWasm, spinA, spinB, rawA, rawB].map((w) => w.terminate())]);
models.dispose();
