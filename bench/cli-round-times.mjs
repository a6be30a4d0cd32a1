// Round time of the simulator CLI for one or more fedkit checkouts, alternating between them each cycle
// (for before/after comparisons on a noisy host). The first round of each run (warm-up) is not counted.
// Usage: node bench/cli-round-times.mjs [--cycles 3] [--task mnist-cnn] [--workers 2] <repo root> [<repo root> ...]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const cycles = Number(opt('--cycles', '3'));
const task = opt('--task', 'mnist-cnn');
const workers = opt('--workers', '2');
const roots = args.map((r) => resolve(r));
const times = new Map(roots.map((r) => [r, []]));

for (let c = 0; c < cycles; c++) {
  for (const root of c % 2 === 0 ? roots : [...roots].reverse()) {
    const out = mkdtempSync(join(tmpdir(), 'fedkit-round-'));
    execFileSync(process.execPath, [join(root, 'apps/simulator/dist/cli.js'), '--task', task, '--rounds', '3', '--eval-every', '0', '--checkpoint-every', '1000', '--workers', workers, '--out', out], {
      env: { ...process.env, CI: 'true' },
      stdio: 'ignore',
    });
    const rounds = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => typeof r.durationMs === 'number' && r.round > 1);
    times.get(root).push(...rounds.map((r) => r.durationMs));
    rmSync(out, { recursive: true, force: true });
    process.stderr.write(`cycle ${c + 1}: ${root} ${rounds.map((r) => r.durationMs.toFixed(0)).join(', ')} ms\n`);
  }
}
console.log(`\n${task}, ${workers} workers, rounds 2-3 of ${cycles} alternating runs each:\n`);
console.log('| checkout | median round | min | max |');
console.log('| --- | --- | --- | --- |');
for (const [root, t] of times) {
  const s = [...t].sort((a, b) => a - b);
  const med = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  console.log(`| ${root} | ${(med / 1000).toFixed(2)} s | ${(s[0] / 1000).toFixed(2)} s | ${(s.at(-1) / 1000).toFixed(2)} s |`);
}
