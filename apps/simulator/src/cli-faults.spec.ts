import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

import { loadCheckpoint } from './checkpoint.js';

// Bad input and damaged run folders, as users meet them: the built CLI in a child process.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TINY = fileURLToPath(new URL('../fixtures/tiny-task.mjs', import.meta.url));
const DYING = fileURLToPath(new URL('../fixtures/dying-worker-task.mjs', import.meta.url));
const TINY_FLAGS = ['--clients', '8', '--clients-per-round', '4', '--batch-size', '5', '--workers', '0', '--runtime', 'cpu', '--eval-every', '0', '--checkpoint-every', '1'];

function cli(args: string[], timeout = 120_000, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout, env: { ...process.env, ...env } });
}

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function events(out: string): { kind: string; [k: string]: unknown }[] {
  return readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

/** A finished 2-round run of the tiny task in a new folder. */
function finishedRun(prefix: string, extra: string[] = []): string {
  const out = tmp(prefix);
  const r = cli(['--task', TINY, ...TINY_FLAGS, '--rounds', '2', '--out', out, ...extra]);
  expect(r.stderr).not.toMatch(/fedkit-simulate:/);
  expect(r.status).toBe(0);
  return out;
}

describe('fedkit-simulate: damaged checkpoints', () => {
  it('resumes from the previous checkpoint when the newest is corrupted, and says so', () => {
    const out = finishedRun('cli-corrupt-');
    const bin = join(out, 'checkpoints', 'round-000002', 'weights.bin');
    const bytes = readFileSync(bin);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(bin, bytes);

    const r = cli(['--resume', '--task', TINY, '--out', out]);

    expect(r.stderr).not.toMatch(/fedkit-simulate:/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/warning: checkpoint .*round-000002 is damaged and was skipped: .*weights\.bin does not match its SHA-256/);
    expect(r.stdout).toMatch(/resumed from .*round-000001/);
    expect(events(out).some((e) => e.kind === 'checkpoint-rejected')).toBe(true);
  });
});

describe('fedkit-simulate: worker threads that keep dying', () => {
  it('end the run with status 1 and the cause, after a checkpoint of the last completed round', async () => {
    const dir = tmp('cli-dying-');
    const out = join(dir, 'out');
    // Round 1 trains 4 clients x 6 batches = 24 batches; from the 25th on, every worker thread exits with code 7.
    // A checkpoint every 10 rounds, so round 1's checkpoint can only come from the failure.
    const r = cli(
      ['--task', DYING, ...TINY_FLAGS.filter((a, i, all) => a !== '--workers' && all[i - 1] !== '--workers' && a !== '--checkpoint-every' && all[i - 1] !== '--checkpoint-every'), '--workers', '2', '--checkpoint-every', '10', '--rounds', '3', '--out', out],
      180_000,
      { FEDKIT_TEST_BATCH_COUNTER: join(dir, 'batches'), FEDKIT_TEST_DIE_AFTER: '24' },
    );

    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^fedkit-simulate: \d client worker threads died in a row \(last: exit code 7\); stopping\. Check memory limits and the task's model\. The last completed round, 1, is checkpointed in .*round-000001: fix the cause, then continue it with --resume\.$/m,
    );
    expect(readdirSync(join(out, 'checkpoints'))).toEqual(['round-000001']);
    const checkpoint = await loadCheckpoint(join(out, 'checkpoints', 'round-000001'));
    expect(checkpoint.state.round).toBe(1);
    // The events up to the failure are kept.
    expect(events(out).filter((e) => e.kind === 'round-finished').map((e) => e['round'])).toEqual([1]);
    expect(events(out).filter((e) => e.kind === 'client-finished' && e['round'] === 2).every((e) => /its worker thread died \(exit code 7\)/.test(String(e['error'])))).toBe(true);
  });
});

describe('fedkit-simulate: output folders', () => {
  it('a fresh run into a folder holding another run refuses and changes nothing; --overwrite starts again', () => {
    const out = finishedRun('cli-reuse-');
    const config = readFileSync(join(out, 'config.json'), 'utf8');

    const again = cli(['--task', TINY, ...TINY_FLAGS, '--rounds', '1', '--seed', '3', '--out', out]);

    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/--out .* already holds a run \(checkpoints, config\.json.*\)\. Pass --resume to continue it, another --out for a new run, or --overwrite/);
    expect(readFileSync(join(out, 'config.json'), 'utf8')).toBe(config);
    expect(existsSync(join(out, 'checkpoints', 'round-000002', 'manifest.json'))).toBe(true);

    const over = cli(['--task', TINY, ...TINY_FLAGS, '--rounds', '1', '--seed', '3', '--out', out, '--overwrite']);
    expect(over.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ seed: 3, rounds: 1 });
    expect(existsSync(join(out, 'checkpoints', 'round-000002'))).toBe(false);
  });

  it('an --out that cannot be created fails at once with the path', () => {
    const r = cli(['--task', TINY, ...TINY_FLAGS, '--rounds', '1', '--out', '/proc/fedkit-test/run'], 30_000);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--out \/proc\/fedkit-test\/run: cannot create \/proc\/fedkit-test \(E[A-Z]+\)/);
  });
});

describe('fedkit-simulate: --config', () => {
  it('a config file with a zero client learning rate is refused before anything is written, naming the key (before: it trained)', () => {
    const dir = tmp('cli-config-');
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ clientLr: 0, rounds: 1 }));
    const out = join(dir, 'out');

    const r = cli(['--task', TINY, ...TINY_FLAGS, '--config', join(dir, 'c.json'), '--out', out], 60_000);

    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^fedkit-simulate: --config .*c\.json: clientLr must be a finite number > 0, found 0\. Fix the value, or remove the key to use the default\.$/m);
    expect(existsSync(out)).toBe(false);
  });
});

describe('fedkit-simulate: --resume', () => {
  it('--resume of a folder with no run says so instead of starting one', () => {
    const out = tmp('cli-nothing-');
    const r = cli(['--resume', '--task', TINY, ...TINY_FLAGS, '--rounds', '1', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--resume: .*config\.json does not exist, so there is no run to resume/);
    expect(existsSync(join(out, 'metrics.jsonl'))).toBe(false);
  });

  it('refuses a changed client learning rate or algorithm, leaving config.json as it was; --allow-config-change records the lr and metrics.jsonl keeps the first run', () => {
    const out = finishedRun('cli-change-');
    const config = readFileSync(join(out, 'config.json'), 'utf8');

    const refused = cli(['--resume', '--task', TINY, '--rounds', '3', '--client-lr', '0.05', '--local-epochs', '2', '--out', out]);

    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/--resume would change the experiment: --local-epochs 2 \(the run has 1\), --client-lr 0\.05 \(the run has 0\.1\)\. .*--allow-config-change/);
    expect(readFileSync(join(out, 'config.json'), 'utf8')).toBe(config);

    // The process state is FedAvg's: another algorithm is refused even with --allow-config-change.
    const algorithm = cli(['--resume', '--task', TINY, '--algorithm', 'fedadam', '--rounds', '3', '--out', out, '--allow-config-change']);
    expect(algorithm.status).toBe(1);
    expect(algorithm.stderr).toMatch(/--resume cannot change --algorithm "fedadam" \(the run has "fedavg"\)/);

    const allowed = cli(['--resume', '--task', TINY, '--rounds', '3', '--client-lr', '0.05', '--out', out, '--allow-config-change']);
    expect(allowed.stderr).not.toMatch(/fedkit-simulate:/);
    expect(allowed.status).toBe(0);
    expect(events(out).find((e) => e.kind === 'config-changed')).toEqual({ kind: 'config-changed', afterRound: 2, changes: [{ key: 'clientLr', from: 0.1, to: 0.05 }] });
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ clientLr: 0.05, rounds: 3 });
    // metrics.jsonl is appended to: the first run's events stay.
    expect(events(out).filter((e) => e.kind === 'run-finished').map((e) => e['roundsCompleted'])).toEqual([2, 3]);
    expect(events(out).filter((e) => e.kind === 'round-finished').map((e) => e['round'])).toEqual([1, 2, 3]);
  });

  it('never crashes on a changed setting: every changeable flag at once, with --allow-config-change, resumes and records each (before: "Cannot read properties of undefined (reading \'map\')")', () => {
    const out = finishedRun('cli-allchange-');

    const r = cli([
      '--resume', '--task', TINY, '--rounds', '3', '--out', out, '--allow-config-change',
      '--partition', 'shards', '--local-epochs', '2', '--batch-size', '4', '--client-optimizer', 'adam', '--client-lr', '0.01',
      '--server-lr', '0.5', '--proximal-strength', '0.1', '--eval-every', '1', '--checkpoint-every', '2', '--client-timeout', '60',
    ]);

    expect(r.stderr).not.toMatch(/fedkit-simulate:/);
    expect(r.status).toBe(0);
    const changed = events(out).find((e) => e.kind === 'config-changed') as { changes: { key: string }[] } | undefined;
    expect(changed?.changes.map((c) => c.key)).toEqual(['partition', 'localEpochs', 'batchSize', 'clientOptimizer', 'clientLr', 'serverLr', 'proximalStrength']);
    expect(events(out).filter((e) => e.kind === 'round-finished').map((e) => e['round'])).toEqual([1, 2, 3]);
  });

  it('imports a task module named only by config.json if it is unchanged since the run, and refuses it once it changed', () => {
    const dir = tmp('cli-module-');
    const task = join(dir, 'task.mjs');
    // A module outside the package cannot resolve @tensorflow/tfjs, so it re-exports the fixture.
    writeFileSync(task, `export * from ${JSON.stringify(pathToFileURL(TINY).href)};\n`);
    const out = join(dir, 'out');
    expect(cli(['--task', task, ...TINY_FLAGS, '--rounds', '2', '--out', out]).status).toBe(0);

    const unchanged = cli(['--resume', '--rounds', '3', '--out', out]);
    expect(unchanged.stderr).not.toMatch(/fedkit-simulate:/);
    expect(unchanged.status).toBe(0);

    appendFileSync(task, '\n// edited by someone else\n');
    const changed = cli(['--resume', '--rounds', '4', '--out', out]);
    expect(changed.status).toBe(1);
    expect(changed.stderr).toMatch(/--resume would import .*task\.mjs, which only .*config\.json names and whose content differs .*Pass --task .*task\.mjs again if you trust that code/);

    const named = cli(['--resume', '--task', task, '--rounds', '4', '--out', out]);
    expect(named.status).toBe(0);
  });
});
