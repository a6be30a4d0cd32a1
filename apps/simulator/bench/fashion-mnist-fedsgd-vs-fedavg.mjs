// FedSGD vs FedAvg at the FedAvg paper's scale (McMahan et al. 2017, Table 2 / Figure 2 setting):
// fashion-mnist-2nn (784-200-200-10), 60,000 train examples over 100 IID clients of 600, C = 0.1
// (10 clients per round), test accuracy on the 10,000 official test examples after every round.
// FedSGD runs over a small grid of server learning rates (the paper tuned FedSGD's rate too) with
// B = ∞ (one gradient over each client's 600 examples); FedAvg runs E = 1 and E = 5 with B = 10 and
// client SGD 0.1, server SGD 1.0 (the plain weighted mean). Each run stops at the first round that reaches
// the last target, at its cap, or when the wall-clock budget is spent; a target not reached is reported as
// '>N', N the rounds it ran. A run still at chance (<= 11%) after 10 rounds has diverged and stops there.
// Wasm runtime, clients in the main thread; the five runs go in parallel child processes (one per run, so that a shared machine gives the
// bench five shares of its cores), each printing its result as JSON for the parent's table.
//
// Run after building (`npx nx run @fedkit/simulator:build`), from the repo root:
//   node apps/simulator/bench/fashion-mnist-fedsgd-vs-fedavg.mjs [targets] [fedsgd lrs] [fedsgd cap] [fedavg cap] [minutes]
// defaults: 0.75,0.80  0.1,0.3,1  300  50  45. Progress lines go to stderr; the table to stdout.
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEFAULT_CONFIG, mergeConfig, prepareRun } from '../dist/index.js';

const list = (s, d) => (s ?? d).split(',').map(Number);
const child = process.argv[2] === '--child';
const args = child ? JSON.parse(process.argv[3]) : process.argv.slice(2);
const targets = list(args[0], '0.75,0.80');
const fedSgdRates = list(args[1], '0.1,0.3,1');
const fedSgdCap = Number(args[2] ?? 300);
const fedAvgCap = Number(args[3] ?? 50);
const minutes = Number(args[4] ?? 45);

/** Runs one configuration; returns the first round at or above each target (undefined = not reached by the cap). */
async function roundsToTargets(label, overrides, cap) {
  const started = Date.now();
  const out = mkdtempSync(join(tmpdir(), 'bench-fmnist-'));
  const run = await prepareRun(
    mergeConfig(DEFAULT_CONFIG, { task: 'fashion-mnist-2nn', rounds: cap, runtime: 'wasm', workers: 0, evalEvery: 1, checkpointEvery: 1_000_000, out, ...overrides }),
  );
  const reached = targets.map(() => undefined);
  let last = { round: 0, accuracy: NaN };
  let stop;
  await new Promise((resolve, reject) => {
    const subscription = run.events.subscribe({
      next: (e) => {
        if (e.kind !== 'evaluated') return;
        const accuracy = e.centralized.sparse_categorical_accuracy;
        last = { round: e.round, accuracy };
        targets.forEach((t, i) => {
          if (reached[i] === undefined && accuracy >= t) reached[i] = e.round;
        });
        if (e.round % 10 === 0 || reached.every((r) => r !== undefined)) {
          process.stderr.write(`${label}: round ${e.round} accuracy ${(accuracy * 100).toFixed(2)}% (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
        }
        if (e.round >= 10 && accuracy <= 0.11) stop = 'diverged';
        else if (Date.now() > deadline) stop = 'time';
        if (stop !== undefined || reached.every((r) => r !== undefined)) {
          subscription.unsubscribe();
          resolve();
        }
      },
      complete: resolve,
      error: reject,
    });
  });
  process.stderr.write(`${label}: done${stop === undefined ? '' : ` (${stop})`}, ${reached.map((r, i) => `${targets[i]}: ${r ?? `>${last.round}`}`).join(', ')}\n`);
  return { label, reached, cap, last, stop, seconds: (Date.now() - started) / 1000 };
}

const deadline = child ? JSON.parse(process.argv[4]).deadline : Date.now() + minutes * 60_000;
if (child) {
  const { label, overrides, cap } = JSON.parse(process.argv[4]);
  process.stdout.write(JSON.stringify(await roundsToTargets(label, overrides, cap)));
  process.exit(0);
}

/** One run in its own process; its progress lines pass through to stderr. */
function inChild(label, overrides, cap) {
  return new Promise((resolve, reject) => {
    const p = execFile(process.execPath, [fileURLToPath(import.meta.url), '--child', JSON.stringify(args), JSON.stringify({ label, overrides, cap, deadline })], { maxBuffer: 1 << 20 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout)),
    );
    p.stderr.on('data', (d) => process.stderr.write(d));
  });
}

const [fedAvg, fedSgd] = await Promise.all([
  Promise.all([1, 5].map((e) => inChild(`FedAvg E=${e} B=10`, { algorithm: 'fedavg', localEpochs: e, batchSize: 10, clientLr: 0.1, serverLr: 1 }, fedAvgCap))),
  // B = ∞: the batch holds the client's whole data; the mean gradient is the same for any B, only faster.
  Promise.all(fedSgdRates.map((lr) => inChild(`FedSGD server lr ${lr}`, { algorithm: 'fedsgd', localEpochs: 1, batchSize: 600, serverLr: lr }, fedSgdCap))),
]);
for (const r of [...fedAvg, ...fedSgd]) r.reached = r.reached.map((x) => x ?? undefined); // JSON turns undefined into null

// The paper's tuning: for each target, the best FedSGD rate is the one that reaches it first.
const best = targets.map((_, i) => {
  const done = fedSgd.filter((r) => r.reached[i] !== undefined).sort((a, b) => a.reached[i] - b.reached[i]);
  return done[0];
});
const show = (r, i) => (r.reached[i] !== undefined ? String(r.reached[i]) : r.stop === 'diverged' ? `diverged (${(r.last.accuracy * 100).toFixed(2)}% at round ${r.last.round})` : `>${r.last.round}`);
console.log(`fashion-mnist-2nn, 100 IID clients x 600, C = 0.1, rounds to test accuracy (first round at or above the target)`);
console.log(`| run | ${targets.map((t) => `rounds to ${(t * 100).toFixed(0)}%`).join(' | ')} | accuracy at the last round run | wall time |`);
console.log(`| --- | ${targets.map(() => '---').join(' | ')} | --- | --- |`);
for (const r of [...fedSgd, ...fedAvg]) {
  console.log(`| ${r.label} | ${targets.map((_, i) => show(r, i)).join(' | ')} | ${(r.last.accuracy * 100).toFixed(2)}% (round ${r.last.round}) | ${r.seconds.toFixed(0)} s |`);
}
for (const avg of fedAvg) {
  const ratios = targets.map((t, i) => {
    const sgd = best[i];
    const a = avg.reached[i];
    if (a === undefined) return `${(t * 100).toFixed(0)}%: FedAvg did not reach it`;
    if (sgd === undefined) {
      const longest = Math.max(...fedSgd.map((r) => r.last.round));
      return `${(t * 100).toFixed(0)}%: > ${(longest / a).toFixed(1)}x (no FedSGD rate reached it; the longest ran ${longest} rounds)`;
    }
    return `${(t * 100).toFixed(0)}%: ${(sgd.reached[i] / a).toFixed(1)}x (best FedSGD: ${sgd.label}, ${sgd.reached[i]} rounds)`;
  });
  console.log(`FedSGD rounds / ${avg.label} rounds: ${ratios.join('; ')}`);
}
process.exit(0);
