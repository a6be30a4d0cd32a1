// FedAvg round throughput on the default task (MNIST 2NN, 100 IID clients, 10 per round, E=1, B=10)
// with clients in the main thread, on 1 worker thread and on N worker threads.
// Run after building: `node apps/simulator/bench/workers.mjs [rounds] [N] [repeats]` (from the repo root).
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

import { lastValueFrom, toArray } from 'rxjs';

import { DEFAULT_CONFIG, mergeConfig, prepareRun } from '../dist/index.js';

const rounds = Number(process.argv[2] ?? 25);
const n = Number(process.argv[3] ?? cpus().length);

async function measure(workers) {
  const out = mkdtempSync(join(tmpdir(), `bench-workers-${workers}-`));
  const run = await prepareRun(mergeConfig(DEFAULT_CONFIG, { rounds, workers, out, evalEvery: 0, checkpointEvery: 1000 }));
  const events = await lastValueFrom(run.events.pipe(toArray()));
  // Rounds 1-2 warm up the kernels (and the workers); time the rest.
  const timed = events.filter((e) => e.kind === 'round-finished' && e.round > 2);
  const examples = timed.reduce((s, e) => s + e.numExamples, 0);
  const seconds = timed.reduce((s, e) => s + e.durationMs, 0) / 1000;
  return { runtime: run.runtimeName, rounds: timed.length, examplesPerSecond: examples / seconds, msPerRound: (seconds * 1000) / timed.length };
}

// The host's CPU speed drifts from minute to minute, so N and 1 workers are measured in alternation,
// `repeats` times each, and the ratio is the median of the back-to-back pairs.
const repeats = Number(process.argv[4] ?? 3);
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const pairs = [];
for (let i = 0; i < repeats; i++) pairs.push({ many: await measure(n), one: await measure(1) });
const inProcess = await measure(0);
const rows = [
  { workers: n, runtime: pairs[0].many.runtime, examplesPerSecond: median(pairs.map((p) => p.many.examplesPerSecond)), msPerRound: median(pairs.map((p) => p.many.msPerRound)) },
  { workers: 1, runtime: pairs[0].one.runtime, examplesPerSecond: median(pairs.map((p) => p.one.examplesPerSecond)), msPerRound: median(pairs.map((p) => p.one.msPerRound)) },
  { workers: 0, ...inProcess },
];
const ratios = pairs.map((p) => p.many.examplesPerSecond / p.one.examplesPerSecond);
console.log(`FedAvg rounds 3..${rounds}, 10 clients x 85 examples per round, ${cpus().length} cores, medians of ${repeats} alternating runs`);
console.log('executor            | runtime | examples/s | ms/round');
for (const r of rows) {
  const name = r.workers === 0 ? 'in-process' : `${r.workers} worker thread${r.workers > 1 ? 's' : ''}`;
  console.log(`${name.padEnd(19)} | ${r.runtime.padEnd(7)} | ${r.examplesPerSecond.toFixed(0).padStart(10)} | ${r.msPerRound.toFixed(0).padStart(8)}`);
}
console.log(`${n} workers vs 1, per back-to-back pair: ${ratios.map((r) => r.toFixed(2) + 'x').join(', ')}; median ${median(ratios).toFixed(2)}x`);
process.exit(0);
