import { describe, expect, it } from 'vitest';

import type { RoundRecord } from './metrics-log.js';
import { accuracyOf, summarizeRounds } from './run-summary.js';

function row(round: number, trainAcc: number, evalAcc?: number, failures = 0): RoundRecord {
  return {
    round,
    train: { loss: 1, accuracy: trainAcc },
    ...(evalAcc === undefined ? {} : { eval: { loss: 1, accuracy: evalAcc } }),
    durationMs: 1000 * round,
    examplesPerSecond: 1,
    clients: 2,
    failures,
  };
}

describe('summarizeRounds', () => {
  it('finds first, last and the best evaluated round (earliest on a tie), in any input order', () => {
    const s = summarizeRounds([row(3, 0.9, 0.7), row(1, 0.5, 0.6), row(2, 0.99, 0.7, 2), row(4, 0.95)]);
    expect(s?.first.round).toBe(1);
    expect(s?.last.round).toBe(4);
    expect(s?.best?.round).toBe(2);
    expect(s?.bestBy).toBe('eval');
    expect(s?.lastEval?.round).toBe(3);
    // 1 + 2 + 3 + 4 seconds; 2 failures.
    expect(s).toMatchObject({ rounds: 4, totalMs: 10_000, failures: 2 });
  });

  it('falls back to training accuracy when no round was evaluated', () => {
    const s = summarizeRounds([row(1, 0.5), row(2, 0.8), row(3, 0.7)]);
    expect(s?.best?.round).toBe(2);
    expect(s?.bestBy).toBe('train');
    expect(s?.lastEval).toBeUndefined();
  });

  it('is undefined for no rounds', () => {
    expect(summarizeRounds([])).toBeUndefined();
  });
});

describe('accuracyOf', () => {
  it('reads the first metric whose name contains "acc"', () => {
    expect(accuracyOf({ loss: 2, sparse_categorical_accuracy: 0.25 })).toBe(0.25);
    expect(accuracyOf({ loss: 2 })).toBeUndefined();
  });
});
