// Fault injection on the default task (MNIST 2NN, 100 clients, 10 per round, worker threads):
// one uninterrupted reference run, then `trials` runs, each SIGKILLed once after a random round's
// checkpoint (every other one while that checkpoint is being written, seen by polling for its temporary
// folder every millisecond; the others 0-300 ms after it is complete) and resumed to the end. Two trials also damage the newest checkpoint after the kill (one truncates
// weights.bin, one flips bytes in it). Prints how many runs ended with weights.bin and state.bin
// byte-identical to the reference, and how many corruptions the resume detected.
// Run after building: `node apps/simulator/bench/fault-injection.mjs [rounds] [trials] [seed]` (from the repo root).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import seedrandom from 'seedrandom';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const rounds = Number(process.argv[2] ?? 30);
const trials = Number(process.argv[3] ?? 10);
const rng = seedrandom(`fault-injection:${process.argv[4] ?? 1}`);
const FLAGS = ['--rounds', String(rounds), '--checkpoint-every', '1', '--eval-every', '0'];
const pad = (r) => `round-${String(r).padStart(6, '0')}`;

/** Runs the CLI; `kill(child, out)` may SIGKILL it. Resolves with its exit code, signal and output. */
function run(args, kill) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const started = performance.now();
    const stopKill = kill?.(child) ?? (() => {});
    child.on('exit', (code, signal) => {
      stopKill();
      resolve({ code, signal, stdout, stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
}

const checkpointsOf = (out) => (existsSync(join(out, 'checkpoints')) ? readdirSync(join(out, 'checkpoints')) : []);

// The uninterrupted reference.
const reference = mkdtempSync(join(tmpdir(), 'fault-ref-'));
const ref = await run([...FLAGS, '--out', reference]);
if (ref.code !== 0) throw new Error(`reference run failed: ${ref.stderr}`);
const refFiles = ['weights.bin', 'state.bin'].map((f) => readFileSync(join(reference, 'checkpoints', pad(rounds), f)));

const rows = [];
let identical = 0;
let corruptions = 0;
let detected = 0;
for (let t = 0; t < trials; t++) {
  const out = mkdtempSync(join(tmpdir(), `fault-${t}-`));
  const duringWrite = t % 2 === 1;
  // The kill lands after a random round's checkpoint: inside its write, or just after it (mid-next-round).
  const target = pad(1 + Math.floor(rng() * (rounds - 2)));
  const after = rng() * 0.3;
  // Inside the write: once this many of its 5 files are in the temporary folder.
  const need = Math.floor(rng() * 5);
  let seenTmp = false;
  let killedIn = '';
  const killed = await run([...FLAGS, '--out', out], (child) => {
    let timer;
    const poll = setInterval(() => {
      const names = checkpointsOf(out);
      const tmpDir = names.find((n) => n.startsWith(`${target}.tmp-`));
      if (duringWrite && (tmpDir !== undefined || seenTmp)) {
        seenTmp = true;
        let files = -1;
        try {
          if (tmpDir !== undefined) files = readdirSync(join(out, 'checkpoints', tmpDir)).filter((f) => !f.startsWith('.')).length;
        } catch {
          // Renamed into place meanwhile.
        }
        if (files >= 0 && files < need) return;
        killedIn = files < 0 ? `just after writing ${target} (renamed before ${need} files were seen)` : `writing ${target} (${files} of 5 files in)`;
        child.kill('SIGKILL');
        clearInterval(poll);
      } else if (!duringWrite && names.includes(target)) {
        clearInterval(poll);
        timer = setTimeout(() => {
          killedIn = `${(after * 1000).toFixed(0)} ms after ${target}`;
          child.kill('SIGKILL');
        }, after * 1000);
      }
    }, 1);
    return () => (clearInterval(poll), clearTimeout(timer));
  });
  if (killed.signal !== 'SIGKILL') killedIn = 'finished before the kill';

  let corruption = '';
  const complete = checkpointsOf(out).filter((n) => /^round-\d{6}$/.test(n)).sort();
  if ((t === 2 || t === 5) && complete.length > 0) {
    const bin = join(out, 'checkpoints', complete.at(-1), 'weights.bin');
    if (t === 2) {
      truncateSync(bin, Math.floor(readFileSync(bin).byteLength / 2));
      corruption = `truncated ${complete.at(-1)}/weights.bin`;
    } else {
      const b = readFileSync(bin);
      for (let i = 0; i < 8; i++) b[Math.floor(rng() * b.byteLength)] ^= 0xa5;
      writeFileSync(bin, b);
      corruption = `flipped 8 bytes of ${complete.at(-1)}/weights.bin`;
    }
    corruptions += 1;
  }

  let resumed = await run(['--resume', '--out', out]);
  let note = '';
  if (corruption !== '' && (/warning: checkpoint .* is damaged/.test(resumed.stdout) || /No usable checkpoint/.test(resumed.stderr))) detected += 1;
  if (resumed.code !== 0 && /nothing to resume|no run to resume|No usable checkpoint/.test(resumed.stderr)) {
    // Killed before its first checkpoint (or its only one damaged): the run starts again.
    note = 'no usable checkpoint: started again with --overwrite';
    resumed = await run([...FLAGS, '--out', out, '--overwrite']);
  }
  if (resumed.code !== 0) throw new Error(`trial ${t}: resume failed (${resumed.code}): ${resumed.stderr}`);
  const from = /resumed from .*(round-\d{6})/.exec(resumed.stdout)?.[1] ?? '-';
  const same = ['weights.bin', 'state.bin'].every((f, i) => Buffer.compare(readFileSync(join(out, 'checkpoints', pad(rounds), f)), refFiles[i]) === 0);
  if (same) identical += 1;
  rows.push({ trial: t + 1, killed: killedIn, corruption: corruption || '-', resumedFrom: from, note: note || '-', identical: same ? 'yes' : 'NO' });
}

console.log(`default task, ${rounds} rounds, checkpoint every round; reference run ${ref.seconds.toFixed(1)} s`);
console.log('| trial | SIGKILL | corruption | resumed from | note | weights.bin + state.bin identical |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.trial} | ${r.killed} | ${r.corruption} | ${r.resumedFrom} | ${r.note} | ${r.identical} |`);
console.log(`runs byte-identical to the uninterrupted run: ${identical}/${trials}`);
console.log(`corruptions detected: ${detected}/${corruptions}`);
