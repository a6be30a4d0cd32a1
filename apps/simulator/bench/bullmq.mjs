// The bullmq executor's cost, two ways (run after building, from the repo root):
//   node apps/simulator/bench/bullmq.mjs [rounds] [repeats] [scaleRounds]   (default 8 rounds, 3 repeats, 4 scale rounds)
// 1. Transport overhead: FedAvg examples/s of the default task (MNIST 2NN, 100 IID clients, 10 per round,
//    E=1, B=10) with 2 worker threads vs 2 `fedkit-simulate worker` processes (1 thread each) on a private
//    loopback redis-server: the same 2 cores, measured in alternation, medians and the per-pair ratio.
// 2. Scale: 1,000 clients per round out of 1,000,000 registered, 2NN, in a child process (`scale` mode) so
//    that its peak RSS is the coordinator's alone. Client data is lazy and derived: client c holds 20 rows of
//    the MNIST train split picked by a PRNG seeded with c (not a real partition: 1,000,000 clients share
//    8,500 images); the coordinator builds a client's reference only when the client is sampled.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { lastValueFrom, toArray } from 'rxjs';
import seedrandom from 'seedrandom';

import { BullMqExecutor, startRedisServer } from '@fedkit/executor-bullmq';
import { buildWeightedFedAvg } from '@fedkit/learning';

import { DEFAULT_CONFIG, mergeConfig, mnist2nn, prepareRun, simulate, taskModelFactory } from '../dist/index.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

function startWorker(url) {
  const child = spawn(process.execPath, [CLI, 'worker', '--redis', url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return {
    child,
    ready: new Promise((resolve, reject) => {
      const t = setInterval(() => {
        if (out.includes('waiting for client jobs')) resolve(clearInterval(t));
        if (child.exitCode !== null) reject(new Error(out));
      }, 50);
    }),
  };
}

async function throughput(config) {
  const run = await prepareRun(mergeConfig(DEFAULT_CONFIG, { evalEvery: 0, checkpointEvery: 1000, out: mkdtempSync(join(tmpdir(), 'bench-bq-')), ...config }));
  const events = await lastValueFrom(run.events.pipe(toArray()));
  // Rounds 1-2 warm up the kernels and the workers; time the rest.
  const timed = events.filter((e) => e.kind === 'round-finished' && e.round > 2);
  const examples = timed.reduce((s, e) => s + e.numExamples, 0);
  const seconds = timed.reduce((s, e) => s + e.durationMs, 0) / 1000;
  return { examplesPerSecond: examples / seconds, msPerRound: (seconds * 1000) / timed.length };
}

/** A client's data, derived from its id: the reference is made only when the client is sampled. */
class DerivedClient {
  constructor(id, round) {
    this.id = id;
    this.round = round;
  }
  toDataRef() {
    const rng = seedrandom(`client:${this.id}`);
    const indices = Array.from({ length: 20 }, () => Math.floor(rng() * 8500));
    return { kind: 'array-plan', plan: { indices, batchSize: 10, epochs: 1, shuffleSeed: `0:${this.round}:${this.id}` } };
  }
  [Symbol.iterator]() {
    throw new Error('a derived client is only trained by workers');
  }
}

async function scale(url, rounds) {
  const executor = new BullMqExecutor({ redis: url, environment: { module: 'simulator', options: { task: 'mnist-2nn', seed: 0, runtime: 'auto', plugins: [], splitSeed: 0 } } });
  await executor.start();
  const models = taskModelFactory(mnist2nn, 0);
  const events = await lastValueFrom(
    simulate({
      process: () => buildWeightedFedAvg({ modelFn: models.modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 }, executor }),
      clientData: { numClients: 1_000_000, datasetFor: (id, round) => new DerivedClient(id, round) },
      rounds,
      clientsPerRound: 1000,
      seed: 0,
    }).pipe(toArray()),
  );
  await executor.close();
  const timed = events.filter((e) => e.kind === 'round-finished' && e.round > 1);
  const r = {
    msPerRound: median(timed.map((e) => e.durationMs)),
    examplesPerSecond: median(timed.map((e) => e.examplesPerSecond)),
    failures: timed.reduce((s, e) => s + e.failures, 0),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(r));
}

const mode = process.argv[2];
if (mode === 'scale') {
  await scale(process.argv[3], Number(process.argv[4]));
  process.exit(0);
}
const rounds = Number(process.argv[2] ?? 8);
const repeats = Number(process.argv[3] ?? 3);
const redis = await startRedisServer();
const workers = [startWorker(redis.url), startWorker(redis.url)];
await Promise.all(workers.map((w) => w.ready));
const pairs = [];
for (let i = 0; i < repeats; i++) {
  const threads = await throughput({ rounds, workers: 2, executor: 'worker-threads' });
  const bullmq = await throughput({ rounds, workers: 2, executor: 'bullmq', redis: redis.url });
  pairs.push({ threads, bullmq });
  console.error(`pair ${i + 1}: threads ${threads.examplesPerSecond.toFixed(0)} ex/s, bullmq ${bullmq.examplesPerSecond.toFixed(0)} ex/s`);
}
const scaleRounds = Number(process.argv[4] ?? 4);
const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'scale', redis.url, String(scaleRounds)], { stdio: ['ignore', 'pipe', 'inherit'] });
let scaleOut = '';
child.stdout.on('data', (d) => (scaleOut += d));
await new Promise((resolve) => child.once('exit', resolve));
const s = JSON.parse(scaleOut.trim().split('\n').at(-1));
for (const w of workers) w.child.kill('SIGTERM');
await redis.stop();

const ratios = pairs.map((p) => p.threads.examplesPerSecond / p.bullmq.examplesPerSecond);
console.log(`FedAvg, default task (10 clients x 85 examples per round), rounds 3..${rounds}, medians of ${repeats} alternating runs`);
console.log('clients on                          | examples/s | ms/round');
for (const [name, key] of [['2 worker threads', 'threads'], ['2 bullmq worker processes (Redis)', 'bullmq']]) {
  console.log(`${name.padEnd(35)} | ${median(pairs.map((p) => p[key].examplesPerSecond)).toFixed(0).padStart(10)} | ${median(pairs.map((p) => p[key].msPerRound)).toFixed(0).padStart(8)}`);
}
console.log(`threads / bullmq examples/s, per pair: ${ratios.map((r) => r.toFixed(2) + 'x').join(', ')}; median ${median(ratios).toFixed(2)}x`);
console.log(
  `1,000 of 1,000,000 clients per round (20 derived examples each), 2 bullmq worker processes, rounds 2..${scaleRounds}: ` +
    `median ${(s.msPerRound / 1000).toFixed(1)} s/round, ${s.examplesPerSecond.toFixed(0)} examples/s, ${s.failures} failures, peak coordinator RSS ${s.peakRssMiB.toFixed(0)} MiB`,
);
process.exit(0);
