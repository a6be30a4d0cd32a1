import { describe, expect, it } from 'vitest';

import type { SimulationEvent } from './simulation-event.js';
import { TerminalDisplay, type DisplayOptions } from './terminal-display.js';

function roundEvents(round: number, loss: number, acc: number, evalAcc?: number, failures = 0): SimulationEvent[] {
  const train = { loss, sparse_categorical_accuracy: acc, num_examples: 10, num_batches: 1 };
  const events: SimulationEvent[] = [
    { kind: 'round-started', round, clientIds: [0, 3] },
    {
      kind: 'round-finished', round, train, durationMs: 2000, examplesPerSecond: 5, numExamples: 10, failures,
      metrics: { distributor: {}, client_work: { train }, aggregator: {}, finalizer: {}, failures },
    },
  ];
  if (evalAcc !== undefined) events.push({ kind: 'evaluated', round, centralized: { loss: 1 - evalAcc, sparse_categorical_accuracy: evalAcc } });
  return events;
}

/** A run of `rounds` rounds whose eval accuracy peaks (0.9) at round `peak`; returns the printed lines. */
function render(rounds: number, options: DisplayOptions, peak = Math.ceil(rounds / 2)): string[] {
  let text = '';
  const d = new TerminalDisplay({ isTTY: false, write: (s) => (text += s) }, options);
  d.handle({ kind: 'run-started', rounds, startRound: 1, numClients: 4, clientsPerRound: 2, seed: 0, history: [] });
  for (let r = 1; r <= rounds; r++) {
    for (const e of roundEvents(r, 1 / r, 0.5, r === peak ? 0.9 : 0.5)) d.handle(e);
    d.handle({ kind: 'checkpoint-saved', round: r, path: `/tmp/cp/${r}` });
  }
  d.handle({ kind: 'run-finished', roundsCompleted: rounds, stopped: false, finalEval: { loss: 0.5, sparse_categorical_accuracy: 0.5 }, totalMs: 2000 * rounds, totalExamples: 10 * rounds });
  return text.split('\n').slice(0, -1);
}

describe('TerminalDisplay', () => {
  it('--verbose prints every round, each failure, every checkpoint and eval as separate lines', () => {
    let text = '';
    const d = new TerminalDisplay({ isTTY: false, write: (s) => (text += s) }, { verbose: true });
    d.handle({ kind: 'run-started', rounds: 1, startRound: 1, numClients: 4, clientsPerRound: 2, seed: 0, history: [] });
    d.handle({ kind: 'round-started', round: 1, clientIds: [0, 3] });
    d.handle({ kind: 'client-finished', round: 1, clientId: 0, ok: true, numExamples: 10, ms: 5, done: 1, total: 2 });
    d.handle({ kind: 'client-finished', round: 1, clientId: 3, ok: false, numExamples: 0, ms: 1, error: 'client 3: boom', done: 2, total: 2 });
    const [, finished, evaluated] = roundEvents(1, 0.5, 0.25, 0.5, 1);
    d.handle(finished!);
    d.handle({ kind: 'evaluated', round: 1, centralized: { loss: 0.75, sparse_categorical_accuracy: 0.5 } });
    expect(evaluated).toBeDefined();
    d.handle({ kind: 'checkpoint-saved', round: 1, path: '/tmp/cp' });
    d.handle({ kind: 'run-finished', roundsCompleted: 1, stopped: false, finalEval: { loss: 0.75, sparse_categorical_accuracy: 0.5 }, totalMs: 2500, totalExamples: 10 });
    const lines = text.split('\n');
    expect(lines).toContain('round 1: client 3 failed: boom');
    expect(lines).toContain('round 1: train loss 0.5000 accuracy 0.2500 | 5 examples/s | 2.00 s | 1 failed');
    expect(lines).toContain('round 1: eval loss 0.7500 accuracy 0.5000');
    expect(lines).toContain('checkpoint: round 1 -> /tmp/cp');
    expect(lines).toContain('finished after 1 rounds in 2.5 s; final test accuracy 0.5000, test loss 0.7500');
    // No cursor movement, carriage returns or colours in CI logs.
    expect(text).not.toMatch(/\r|\u001b\[/);
  });

  it('by default prints train and eval of a round on one line, and no checkpoint lines', () => {
    const lines = render(2, {});
    expect(lines).toContain('round 1/2: train loss 1.0000 acc 0.5000 | eval loss 0.1000 acc 0.9000 | 5 examples/s | 2.00 s');
    expect(lines).toContain('round 2/2: train loss 0.5000 acc 0.5000 | eval loss 0.5000 acc 0.5000 | 5 examples/s | 2.00 s');
    expect(lines.filter((l) => l.startsWith('checkpoint'))).toEqual([]);
  });

  it('prints a line every ceil(rounds / maxRoundLines) rounds, plus the first and the last', () => {
    // 10 rounds, at most 4 lines: every 3rd round (3, 6, 9), round 1 and round 10.
    const rounds = render(10, { maxRoundLines: 4 }).filter((l) => /^round \d+\/10:/.test(l)).map((l) => Number(/^round (\d+)/.exec(l)![1]));
    expect(rounds).toEqual([1, 3, 6, 9, 10]);
  });

  it('keeps a run of any length within the line budget: the final summary is the same size for 10 and 1000 rounds', () => {
    const short = render(10, {});
    const long = render(1000, {});
    const summaryOf = (lines: string[]) => lines.slice(lines.findIndex((l) => /^ +round \| train loss/.test(l)));
    expect(summaryOf(long)).toHaveLength(summaryOf(short).length);
    // 50 round lines at most (+ the last), a start line, a blank line, header, first/best/last, totals, final line.
    expect(long.length).toBeLessThanOrEqual(51 + 8);
    // The 200-round default run prints fewer than 260 lines in all (the acceptance figure).
    expect(render(200, {}).length).toBeLessThan(260 - 10);
  });

  it('summarizes the first, best (by eval accuracy) and last rounds', () => {
    const lines = render(1000, {}, 437);
    const table = lines.slice(lines.findIndex((l) => /^ +round \| train loss/.test(l)) + 1);
    expect(table[0]).toMatch(/^first +1 \| +1\.0000 \| +0\.5000 \| +0\.5000 \| +0\.5000 \|/);
    expect(table[1]).toMatch(/^best eval +437 \| +0\.0023 \| +0\.5000 \| +0\.1000 \| +0\.9000 \|/);
    expect(table[2]).toMatch(/^last +1000 \|/);
    expect(table[3]).toBe('1000 rounds, mean 2.00 s per round, no client failures; every round is in metrics.csv');
  });

  it('prints each distinct client error once (three at most) and counts the rest', () => {
    let text = '';
    const d = new TerminalDisplay({ isTTY: false, write: (s) => (text += s) });
    d.handle({ kind: 'run-started', rounds: 3, startRound: 1, numClients: 4, clientsPerRound: 2, seed: 0, history: [] });
    for (let r = 1; r <= 3; r++) {
      for (const error of ['timeout', 'timeout', `nan in round ${r}`]) {
        d.handle({ kind: 'client-finished', round: r, clientId: 1, ok: false, numExamples: 0, ms: 1, error, done: 1, total: 2 });
      }
      d.handle(roundEvents(r, 0.5, 0.5, undefined, 3)[1]!);
    }
    d.handle({ kind: 'run-finished', roundsCompleted: 3, stopped: false, totalMs: 1, totalExamples: 1 });
    const failures = text.split('\n').filter((l) => / failed: /.test(l));
    expect(failures).toEqual(['round 1: client 1 failed: timeout', 'round 1: client 1 failed: nan in round 1', 'round 2: client 1 failed: nan in round 2']);
    // 9 failures, 3 shown.
    expect(text).toMatch(/9 client failures \(6 failure messages not shown; --verbose prints each\)/);
  });

  it('colours only when asked (the CLI asks on a TTY without NO_COLOR)', () => {
    expect(render(2, {}).join('\n')).not.toMatch(/\u001b\[/);
    expect(render(2, { color: true }).join('\n')).toMatch(/\u001b\[1m0\.9000\u001b\[0m/);
  });
});
