import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

// The CLI is tested as users run it: the built JavaScript in a child process.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TINY = fileURLToPath(new URL('../fixtures/tiny-task.mjs', import.meta.url));
const BROKEN = fileURLToPath(new URL('../fixtures/missing-export-task.mjs', import.meta.url));
const PLUGIN = fileURLToPath(new URL('../fixtures/twice-plugin.mjs', import.meta.url));
const TINY_FLAGS = ['--task', TINY, '--clients', '8', '--clients-per-round', '4', '--batch-size', '5', '--workers', '0'];

function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
}

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

describe('fedkit-simulate CLI', () => {
  it('runs 2 rounds of a tiny task and writes metrics.jsonl, metrics.csv, config.json and report.html', () => {
    const out = tmp('cli-smoke-');
    const r = cli([...TINY_FLAGS, '--rounds', '2', '--runtime', 'cpu', '--out', out]);
    expect(r.stderr).not.toMatch(/fedkit-simulate:/);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^runtime: cpu/);
    expect(r.stdout).toMatch(/test accuracy: \d+\.\d\d%/);

    const events = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; round?: number });
    expect(events.filter((e) => e.kind === 'round-finished').map((e) => e.round)).toEqual([1, 2]);
    expect(events.filter((e) => e.kind === 'evaluated')).toHaveLength(2);
    expect(events.at(-1)?.kind).toBe('run-finished');

    const csv = readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^round,duration_ms,examples_per_second,clients,failures,/);
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['1', '2']);
    // 4 clients per round.
    expect(csv.slice(1).map((l) => l.split(',')[3])).toEqual(['4', '4']);

    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ task: TINY, rounds: 2, clients: 8, clientsPerRound: 4, batchSize: 5, algorithm: 'fedavg' });

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const data = JSON.parse(/<script id="report-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!);
    expect(data.rounds.map((r: { round: number }) => r.round)).toEqual([1, 2]);
    // 240 train examples over 8 clients, 3 labels each.
    expect(data.labelHistogram.perClient).toHaveLength(8);
    expect(data.labelHistogram.perClient.flat().reduce((a: number, b: number) => a + b, 0)).toBe(240);
    expect(existsSync(join(out, 'checkpoints', 'round-000002', 'weights.bin'))).toBe(true);
  });

  it('--personalization-eval runs with the final evaluation: per sampled client before/after metrics in metrics.jsonl', () => {
    const out = tmp('cli-p13n-');
    const r = cli([...TINY_FLAGS, '--rounds', '2', '--runtime', 'cpu', '--personalization-eval', '2', '--out', out]);
    expect(r.stderr).not.toMatch(/fedkit-simulate:/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/personalization \(fine_tune, 4 clients\): mean accuracy \d\.\d{4} before, \d\.\d{4} after/);
    type P13n = { clients: { clientIndex: number; metrics: Record<string, Record<string, number>> }[]; summary: Record<string, Record<string, { mean: number }>> };
    const evaluated = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; round?: number; personalization?: P13n })
      .filter((e) => e.kind === 'evaluated');
    expect(evaluated.map((e) => [e.round, e.personalization !== undefined])).toEqual([[1, false], [2, true]]);
    const p = evaluated[1]!.personalization!;
    // As many clients as a round samples; each of the 8 clients holds 30 examples: 6 to evaluate on, 24 to fine-tune on, twice.
    expect(p.clients).toHaveLength(4);
    for (const c of p.clients) {
      expect(c.metrics['baseline_metrics']!['num_examples']).toBe(6);
      expect(c.metrics['fine_tune']!['num_examples']).toBe(6);
      expect(c.metrics['fine_tune']!['num_train_examples']).toBe(48);
    }
    expect(Object.keys(p.summary).sort()).toEqual(['baseline_metrics', 'fine_tune']);
  });

  it('--runtime auto picks wasm and says so on the first line', () => {
    const r = cli([...TINY_FLAGS, '--rounds', '1', '--runtime', 'auto', '--out', tmp('cli-auto-')]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^runtime: wasm .*not chosen: .*cpu \(lower priority\)/);
  });

  it('the default runtime choice (auto) prints no Dawn/Vulkan warning, in the main thread or 2 worker threads (before: one per thread, with a C++ frame)', () => {
    const r = cli([...TINY_FLAGS.filter((a, i, all) => a !== '--workers' && all[i - 1] !== '--workers'), '--workers', '2', '--rounds', '1', '--out', tmp('cli-quiet-')]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^runtime: wasm /);
    expect(r.stderr).not.toMatch(/Vulkan|Dawn|BackendVk|\.cpp:\d+/);
  });

  it('--runtime gpu falls back with a message naming why each GPU runtime is unavailable, and the run completes', () => {
    const r = cli([...TINY_FLAGS, '--rounds', '1', '--runtime', 'gpu', '--out', tmp('cli-gpu-')]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^runtime: wasm .*tensorflow-gpu \(.+\).*webgpu \(.+\)/);
    expect(r.stderr).toMatch(/Runtime "gpu" is unavailable/);
    expect(r.stdout).toMatch(/test accuracy: \d+\.\d\d%/);
  });

  it('--aggregator median runs the unweighted FedAvg with FedMedian and records its measurements', () => {
    const out = tmp('cli-median-');
    const r = cli([...TINY_FLAGS, '--rounds', '1', '--runtime', 'cpu', '--aggregator', 'median', '--out', out]);
    expect(r.status).toBe(0);
    const events = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const round = events.find((e: { kind: string }) => e.kind === 'round-finished');
    expect(round.metrics.aggregator).toEqual({ num_clients: 4 });
  });

  it('an unknown aggregator lists the valid forms', () => {
    const r = cli([...TINY_FLAGS, '--rounds', '1', '--runtime', 'cpu', '--aggregator', 'averaging', '--out', tmp('cli-agg-')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Unknown aggregator "averaging"\. Valid forms: .*\bmean, median, .*trimmed-mean\[:beta\]/);
  });

  it('--help lists the flags', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--task', '--algorithm', '--rounds', '--clients-per-round', '--partition', '--local-epochs', '--batch-size', '--client-optimizer', '--client-lr', '--server-lr', '--proximal-strength', '--runtime', '--executor', '--plugin', '--seed', '--out', '--resume', '--eval-every', '--config']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('--help lists the registered algorithms, aggregators and executors with their descriptions', () => {
    const r = cli(['--help']);
    expect(r.stdout).toMatch(/fednova +FedNova: updates normalized by local steps \(Wang et al\. 2020\)/);
    expect(r.stdout).toMatch(/trimmed-mean\[:beta\] +coordinate-wise trimmed mean/);
    expect(r.stdout).toMatch(/worker-threads +clients on worker_threads/);
  });

  it('a --plugin module adds an algorithm that --algorithm and --help accept, with no simulator edit', () => {
    const r = cli(['--plugin', PLUGIN, '--help']);
    expect(r.stdout).toMatch(/fedavg-twice +FedAvg with server learning rate 2 \(test plugin\)/);
    const out = tmp('cli-plugin-');
    const run = cli([...TINY_FLAGS, '--plugin', PLUGIN, '--algorithm', 'fedavg-twice', '--rounds', '1', '--runtime', 'cpu', '--out', out]);
    expect(run.stderr).not.toMatch(/fedkit-simulate:/);
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ algorithm: 'fedavg-twice' });
  });

  it('--algorithm fednova runs from the registry', () => {
    const out = tmp('cli-nova-');
    const r = cli([...TINY_FLAGS, '--algorithm', 'fednova', '--rounds', '1', '--runtime', 'cpu', '--out', out]);
    expect(r.status).toBe(0);
    const events = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // 30 examples per client in batches of 5: 6 local steps each, so tau_eff = 6.
    expect(events.find((e) => e.kind === 'round-finished').metrics.aggregator).toEqual({ tau_eff: 6 });
  });

  it('fedsgd says which flags it ignores', () => {
    const r = cli([...TINY_FLAGS, '--algorithm', 'fedsgd', '--client-lr', '0.5', '--rounds', '1', '--runtime', 'cpu', '--out', tmp('cli-sgd-')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/note: fedsgd takes no local steps, so it ignores --client-lr/);
  });

  it('an unknown task lists the valid ones', () => {
    const r = cli(['--task', 'cifar', '--out', tmp('cli-bad-')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Unknown task "cifar". Valid tasks: fashion-mnist-2nn, fashion-mnist-cnn, mnist-2nn, mnist-cnn/);
  });

  it('an unknown algorithm lists the valid ones', () => {
    const r = cli(['--algorithm', 'fedfoo']);
    expect(r.status).not.toBe(0);
    for (const name of ['fedavg', 'fedavgm', 'fedadam', 'fedyogi', 'fedadagrad', 'fedprox', 'fedsgd', 'fednova']) expect(r.stderr).toContain(name);
  });

  it('a task module missing exports says which', () => {
    const r = cli(['--task', BROKEN, '--runtime', 'cpu', '--out', tmp('cli-broken-')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/missing export "inputSpec"/);
    expect(r.stderr).toMatch(/missing export "loadData"/);
  });

  it('flags override the --config file', () => {
    const out = tmp('cli-config-');
    const file = join(out, 'in.json');
    writeFileSync(file, JSON.stringify({ rounds: 3, clients: 8, clientsPerRound: 2, seed: 5 }));
    const r = cli(['--config', file, '--task', TINY, '--rounds', '1', '--batch-size', '5', '--workers', '0', '--runtime', 'cpu', '--out', out]);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ rounds: 1, clients: 8, clientsPerRound: 2, seed: 5 });
  });

  it('after SIGKILL, --resume ends with the same weights.bin bytes as an uninterrupted run', async () => {
    // 30 rounds: long enough to kill mid-run after the first checkpoint (a round takes tens of ms), half the time of 60.
    const rounds = 30;
    const flags = [...TINY_FLAGS, '--rounds', String(rounds), '--runtime', 'cpu', '--checkpoint-every', '1', '--eval-every', '0', '--seed', '4'];
    const full = tmp('cli-full-');
    expect(cli([...flags, '--out', full]).status).toBe(0);

    const killed = tmp('cli-killed-');
    const child = spawn(process.execPath, [CLI, ...flags, '--out', killed], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const cps = join(killed, 'checkpoints');
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        // Older checkpoints are pruned (2 kept), so any complete one will do.
        if (existsSync(cps) && readdirSync(cps).some((n) => /^round-\d{6}$/.test(n))) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
      child.on('exit', () => (clearInterval(timer), reject(new Error('the run ended before it could be killed'))));
    });
    expect(await exited).toBe('SIGKILL');
    // Killed mid-run: the last round's checkpoint does not exist yet.
    expect(existsSync(join(cps, `round-0000${rounds}`))).toBe(false);

    const resumed = cli(['--resume', '--out', killed]);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toMatch(/resumed from .*round-0000\d\d/);
    const a = readFileSync(join(full, 'checkpoints', `round-0000${rounds}`, 'weights.bin'));
    const b = readFileSync(join(cps, `round-0000${rounds}`, 'weights.bin'));
    expect(b.byteLength).toBeGreaterThan(0);
    expect(Buffer.compare(a, b)).toBe(0);
    // Three CLI runs; the default 60 s limit is too tight on a loaded 2-core machine.
  }, 240_000);

  it('Ctrl-C (SIGINT) stops after writing a checkpoint of the last completed round, and exits 130', async () => {
    const out = tmp('cli-sigint-');
    const child = spawn(process.execPath, [CLI, ...TINY_FLAGS, '--rounds', '5000', '--runtime', 'cpu', '--checkpoint-every', '1000', '--eval-every', '0', '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && /round 1\/5000: train/.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    // 128 + SIGINT (2), as shells report a process stopped by Ctrl-C.
    expect(code).toBe(130);
    const m = /stopped after (\d+) rounds/.exec(stdout);
    expect(m).not.toBeNull();
    const n = Number(m![1]);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThan(5000);
    expect(existsSync(join(out, 'checkpoints', `round-${String(n).padStart(6, '0')}`, 'weights.bin'))).toBe(true);
  });
});
