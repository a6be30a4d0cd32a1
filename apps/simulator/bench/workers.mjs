// FedAvg round throughput on the default task (MNIST 2NN, 100 IID clients, 10 per round, E=1, B=10)
// with clients in the main thread, on 1 worker thread and on N worker threads.
// Run after building: `node apps/simulator/bench/workers.mjs [rounds] [N]` (from the repo root).
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

const rows = [];
for (const workers of [n, 1, 0]) rows.push({ workers, ...(await measure(workers)) });
const base = rows.find((r) => r.workers === 1).examplesPerSecond;
console.log(`FedAvg rounds ${3}..${rounds}, 10 clients x 85 examples per round, ${cpus().length} cores`);
console.log('executor            | runtime | examples/s | ms/round | vs 1 worker');
for (const r of rows) {
  const name = r.workers === 0 ? 'in-process' : `${r.workers} worker thread${r.workers > 1 ? 's' : ''}`;
  console.log(`${name.padEnd(19)} | ${r.runtime.padEnd(7)} | ${r.examplesPerSecond.toFixed(0).padStart(10)} | ${r.msPerRound.toFixed(0).padStart(8)} | ${(r.examplesPerSecond / base).toFixed(2)}x`);
}
process.exit(0);
