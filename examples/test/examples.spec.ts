import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { RdpAccountant } from '@fedkit/aggregators';
import { describe, expect, it } from 'vitest';

const examples = dirname(dirname(fileURLToPath(import.meta.url)));

const CLI = fileURLToPath(new URL('../../apps/simulator/dist/cli.js', import.meta.url));

/** Runs an example script as a user would (node, built packages) and returns its stdout; throws on a non-zero exit. */
function run(script: string, args: readonly string[] = [join(examples, script)]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}: ${err}`))));
  });
}

/** Two runs side by side: seeded examples must print the same text both times. */
const twice = (script: string) => Promise.all([run(script), run(script)]);
const lines = (out: string, pattern: RegExp) => out.split('\n').filter((l) => pattern.test(l));
const numbers = (line: string, key: string) => Number(new RegExp(`${key}:? (-?[\\d.e-]+)`).exec(line)![1]);

describe('examples/', () => {
  it('custom-loss-and-metric.mjs: round 1 is the zero model (computed here), the loss falls every round, and two runs agree', async () => {
    const [a, b] = await twice('custom-loss-and-metric.mjs');
    expect(a).toBe(b);
    const rounds = lines(a, /^round \d+:/);
    expect(rounds).toHaveLength(8);
    // The model starts at zero and each client trains one batch, so round 1 sees predictions 0 for all 40 examples.
    const ys = Array.from({ length: 40 }, (_, n) => 2 * (n / 40) - (n % 7) / 7 + 0.5);
    const logCosh = ys.reduce((s, y) => s + Math.log(Math.cosh(y)), 0) / ys.length;
    const within = ys.filter((y) => Math.abs(y) <= 0.5).length / ys.length;
    expect(numbers(rounds[0]!, 'log_cosh')).toBeCloseTo(logCosh, 5);
    expect(numbers(rounds[0]!, 'within_tolerance')).toBeCloseTo(within, 4);
    const losses = rounds.map((l) => numbers(l, 'log_cosh'));
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]!);
    expect(numbers(rounds[7]!, 'within_tolerance')).toBeGreaterThan(numbers(rounds[0]!, 'within_tolerance'));
  }, 300_000);

  it('dp-training.mjs: epsilon grows each round as the RDP accountant composes q = 4/40, z = 1; the noise is z * clip / clients', async () => {
    const [a, b] = await twice('dp-training.mjs');
    const rounds = lines(a, /^round \d+:/);
    expect(rounds).toHaveLength(5);
    // The noise is cryptographic (losses differ between runs); the privacy accounting does not.
    const eps = (out: string) => lines(out, /^round/).map((l) => numbers(l, 'epsilon'));
    expect(eps(a)).toEqual(eps(b));
    const accountant = new RdpAccountant();
    rounds.forEach((line, r) => {
      accountant.compose(4 / 40, 1);
      expect(numbers(line, 'epsilon')).toBeCloseTo(accountant.getEpsilon(1e-5), 4);
      expect(numbers(line, 'noise_stddev')).toBe(0.25); // 1 * 1 / 4
      expect(numbers(line, 'delta')).toBe(1e-5);
      if (r > 0) expect(numbers(line, 'epsilon')).toBeGreaterThan(numbers(rounds[r - 1]!, 'epsilon'));
    });
    expect(numbers(rounds[4]!, 'epsilon')).toBeGreaterThan(0);
    expect(numbers(rounds[4]!, 'epsilon')).toBeLessThan(10);
  }, 300_000);

  it('non-iid-comparison.mjs: FedAvg, FedProx and SCAFFOLD all beat chance on 3 classes, and two runs agree', async () => {
    const [a, b] = await twice('non-iid-comparison.mjs');
    expect(a).toBe(b);
    const results = lines(a, /^(fedavg|fedprox|scaffold):/);
    expect(results.map((l) => l.split(':')[0])).toEqual(['fedavg', 'fedprox', 'scaffold']);
    for (const line of results) {
      expect(numbers(line, 'test_accuracy')).toBeGreaterThan(1 / 3);
      expect(numbers(line, 'test_accuracy')).toBeLessThanOrEqual(1);
      expect(numbers(line, 'test_loss')).toBeGreaterThan(0);
      expect(numbers(line, 'test_loss')).toBeLessThan(Math.log(3)); // the uniform prediction's cross-entropy
    }
  }, 300_000);

  it('custom-aggregator.mjs: round 1 is capped by hand (zero model, one SGD step per client), state and measurements flow, two runs agree', async () => {
    const [a, b] = await twice('custom-aggregator.mjs');
    expect(a).toBe(b);
    const rounds = lines(a, /^round \d:/);
    expect(rounds).toHaveLength(3);
    // Client c (x = (c + 1) I, y = [1, 2]) from zeros, lr 0.1, MSE over 2 examples: w = 0.1 (c + 1) [1, 2], b = 0.3.
    const updates = [1, 2, 3].map((k) => [0.1 * k, 0.2 * k, 0.3]);
    const norms = updates.map((u) => Math.hypot(...u));
    const capped = updates.map((u, c) => u.map((v) => v * Math.min(1, 0.5 / norms[c]!)));
    const mean = (i: number) => capped.reduce((s, u) => s + u[i]!, 0) / 3;
    const first = rounds[0]!;
    expect(numbers(first, 'capped')).toBe(2);
    expect(numbers(first, 'max_norm')).toBeCloseTo(Math.sqrt(0.54), 5);
    const kernel = /kernel (\S+) (\S+)/.exec(first)!;
    expect(Number(kernel[1])).toBeCloseTo(mean(0), 5);
    expect(Number(kernel[2])).toBeCloseTo(mean(1), 5);
    expect(numbers(first, 'bias')).toBeCloseTo(mean(2), 5);
    expect(numbers(first, 'loss')).toBeCloseTo(2.5, 5); // mean of y^2 = (1 + 4) / 2 at the zero model
    expect(numbers(rounds[2]!, 'loss')).toBeLessThan(numbers(rounds[1]!, 'loss'));
  }, 300_000);

  it('custom-task.mjs: the simulator runs it by path; every round trains 4 clients x 50 examples x 2 epochs; seeded runs agree', async () => {
    const flags = ['--task', join(examples, 'custom-task.mjs'), '--rounds', '5', '--clients', '8', '--clients-per-round', '4', '--batch-size', '10'];
    const more = ['--local-epochs', '2', '--client-lr', '0.3', '--workers', '0', '--runtime', 'cpu', '--eval-every', '5', '--seed', '1'];
    const outs = [mkdtempSync(join(tmpdir(), 'custom-task-')), mkdtempSync(join(tmpdir(), 'custom-task-'))];
    await Promise.all(outs.map((out) => run('custom-task.mjs', [CLI, ...flags, ...more, '--out', out])));
    const events = outs.map((out) => readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>));
    const train = events.map((e) => e.filter((x) => x['kind'] === 'round-finished').map((x) => x['train']));
    expect(train[0]).toEqual(train[1]);
    expect(train[0]).toHaveLength(5);
    // 400 training examples over 8 clients: 50 each, in 5 batches of 10, seen twice.
    for (const t of train[0]!) expect(t).toMatchObject({ num_examples: 400, num_batches: 40 });
    const evaluated = events[0]!.filter((x) => x['kind'] === 'evaluated');
    expect(evaluated).toHaveLength(1);
    expect(evaluated[0]!['centralized']['num_examples']).toBe(100);
    expect(evaluated[0]!['centralized']['sparse_categorical_accuracy']).toBeGreaterThan(0.8);
  }, 300_000);

  it("quickstart-mnist.mjs: the README's example prints what the README says, every run", async () => {
    const [a, b] = await twice('quickstart-mnist.mjs');
    expect(a).toBe(b);
    const rounds = lines(a, /^round \d:/);
    expect(rounds).toHaveLength(5);
    const acc = rounds.map((l) => numbers(l, 'accuracy'));
    const loss = rounds.map((l) => numbers(l, 'loss'));
    for (const v of acc) expect(v).toBeGreaterThan(0), expect(v).toBeLessThanOrEqual(1);
    expect(loss[4]).toBeLessThan(loss[0]!);
    expect(acc[4]).toBeGreaterThan(0.5);
    const readme = readFileSync(join(examples, '..', 'README.md'), 'utf8');
    const claimed = /round 5: accuracy ([\d.]+), loss ([\d.]+)/.exec(readme)!;
    expect(rounds[4]).toBe(`round 5: accuracy ${claimed[1]}, loss ${claimed[2]}`);
    // The README's code is this script's code (less its comments and the helper line's comment).
    const code = (text: string) => text.split('\n').filter((l) => /^(import|const|let|for|  |\})/.test(l)).map((l) => l.replace(/\s*\/\/.*$/, ''));
    const block = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('loadMnist') && b.includes('buildWeightedFedAvg'))!;
    const readmeCode = code(block);
    expect(readmeCode).toEqual(code(readFileSync(join(examples, 'quickstart-mnist.mjs'), 'utf8')));
    // Two runs over real MNIST side by side: about 15 s of CPU each, minutes on a loaded 2-core machine.
  }, 400_000);
});
