import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort, startRedisServer, type RedisServer } from '@fedkit/executor-bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The multi-machine path as users run it, on loopback: a private redis-server with a password, two
// `fedkit-simulate worker` processes and `fedkit-simulate --executor bullmq` coordinators, all built CLIs.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const PASSWORD = 'loopback-secret-42';
// The default task (MNIST 2NN, FedAvg, B=10, E=1) with few, large clients (850 examples each), so that a client
// trains long enough to be killed mid-job and the runs stay short.
const RUN = ['--rounds', '2', '--clients', '10', '--clients-per-round', '4', '--eval-every', '0', '--checkpoint-every', '1'];

interface Proc {
  readonly child: ChildProcess;
  output: string;
  readonly exited: Promise<number | null>;
}

function start(args: string[]): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { child, output: '', exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout!.on('data', (d: Buffer) => (p.output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (p.output += d.toString()));
  return p;
}

/** Resolves with the first match of `pattern` in the process's output (polled: its output arrives in chunks). */
async function waitFor(p: Proc, pattern: RegExp, timeoutMs = 120_000): Promise<RegExpMatchArray> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const m = p.output.match(pattern);
    if (m !== null) return m;
    if (p.child.exitCode !== null || performance.now() > until) throw new Error(`never saw ${pattern} (exit ${p.child.exitCode}):\n${p.output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function lastWeights(out: string): Buffer {
  const dir = join(out, 'checkpoints');
  const last = readdirSync(dir).filter((n) => /^round-\d{6}$/.test(n)).sort().at(-1)!;
  return readFileSync(join(dir, last, 'weights.bin'));
}

function roundEvents(out: string): { round: number; failures: number; metrics: { retries: number } }[] {
  return readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; round: number; failures: number; metrics: { retries: number } })
    .filter((e) => e.kind === 'round-finished');
}

/** Every file under `dir` as text (to look for the password). */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name)).toString('latin1'))
    .join('\n');
}

describe('fedkit-simulate --executor bullmq with 2 worker processes', () => {
  let redis: RedisServer;
  const workers: Proc[] = [];
  let reference: Buffer;

  beforeAll(async () => {
    redis = await startRedisServer({ password: PASSWORD });
    workers.push(start(['worker', '--redis', redis.url]), start(['worker', '--redis', redis.url]));
    // The in-process run with the same seed, while the workers start.
    const ref = mkdtempSync(join(tmpdir(), 'bq-ref-'));
    const inProcess = start([...RUN, '--workers', '0', '--out', ref]);
    expect(await inProcess.exited).toBe(0);
    reference = lastWeights(ref);
    await Promise.all(workers.map((w) => waitFor(w, /waiting for client jobs/)));
  }, 240_000);

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await redis?.stop();
  });

  it('ends with weights byte-equal to the in-process run, and keeps the password out of logs, config.json and checkpoints', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bq-run-'));
    const coordinator = start([...RUN, '--executor', 'bullmq', '--redis', redis.url, '--out', out]);
    expect(await coordinator.exited).toBe(0);
    expect(lastWeights(out).equals(reference)).toBe(true);
    expect(roundEvents(out).map((e) => [e.failures, e.metrics.retries])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(coordinator.output).toContain(`redis://:***@127.0.0.1:${redis.port}`);
    expect(coordinator.output + workers.map((w) => w.output).join('') + allText(out)).not.toContain(PASSWORD);
  }, 240_000);

  it('finishes a round whose worker is SIGKILLed mid-client on the other worker: same weights, no failure, the retry counted', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bq-kill-'));
    const offsets = workers.map((w) => w.output.length);
    const coordinator = start([...RUN, '--executor', 'bullmq', '--redis', redis.url, '--out', out]);
    // The first worker to start a client of round 2 dies with it.
    const victim = await Promise.race(workers.map(async (w, i) => {
      for (;;) {
        if (/started round 2 client/.test(w.output.slice(offsets[i]))) return w;
        await new Promise((r) => setTimeout(r, 10));
      }
    }));
    victim.child.kill('SIGKILL');
    expect(await coordinator.exited).toBe(0);
    expect(lastWeights(out).equals(reference)).toBe(true);
    const rounds = roundEvents(out);
    expect(rounds.map((e) => e.failures)).toEqual([0, 0]);
    expect(rounds[1]!.metrics.retries).toBeGreaterThanOrEqual(1);
  }, 240_000);

  it('a coordinator SIGKILLed mid-round and restarted with --resume ends with the same weights', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bq-resume-'));
    const survivor = workers.find((w) => w.child.exitCode === null && w.child.signalCode === null)!;
    const offset = survivor.output.length;
    const first = start([...RUN, '--executor', 'bullmq', '--redis', redis.url, '--out', out]);
    for (;;) {
      if (/started round 2 client/.test(survivor.output.slice(offset))) break;
      if (first.child.exitCode !== null) throw new Error(first.output);
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const resumed = start([...RUN, '--executor', 'bullmq', '--redis', redis.url, '--out', out, '--resume']);
    expect(await resumed.exited).toBe(0);
    expect(resumed.output).toMatch(/resum/i);
    expect(lastWeights(out).equals(reference)).toBe(true);
    expect(roundEvents(out).map((e) => e.round)).toEqual([1, 2]);
  }, 240_000);
});

describe('fedkit-simulate --executor bullmq without Redis', () => {
  it('exits non-zero with an error naming the URL, password redacted', async () => {
    const port = await freePort();
    const out = mkdtempSync(join(tmpdir(), 'bq-none-'));
    const r = spawnSync(process.execPath, [CLI, ...RUN, '--executor', 'bullmq', '--redis', `redis://app:${PASSWORD}@127.0.0.1:${port}`, '--out', out], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Cannot reach Redis at redis://app:***@127.0.0.1:${port}`);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  }, 120_000);
});
