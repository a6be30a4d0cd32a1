import type { RoundRecord } from './metrics-log.js';

/** The value of the first metric whose name contains `acc` (Keras's `accuracy`, `sparse_categorical_accuracy`, ...). */
export function accuracyOf(metrics: Readonly<Record<string, number>> | undefined): number | undefined {
  if (metrics === undefined) return undefined;
  const key = Object.keys(metrics).find((k) => /acc/.test(k));
  return key === undefined ? undefined : metrics[key];
}

/** The rounds a person looks at first: where the run began, where it ended and where it was best. */
export interface RunSummary {
  readonly first: RoundRecord;
  readonly last: RoundRecord;
  /** The round with the highest accuracy (evaluation's when any round was evaluated, else training's); absent without an accuracy metric. */
  readonly best?: RoundRecord;
  /** Which accuracy chose {@link RunSummary.best}. */
  readonly bestBy?: 'eval' | 'train';
  /** The most recent evaluation (the headline figure), which need not be the last round's. */
  readonly lastEval?: RoundRecord;
  readonly rounds: number;
  readonly totalMs: number;
  readonly failures: number;
}

/**
 * Summarizes a run's rounds in O(1) rows, so that the terminal's final table
 * and the report's headline stay one screen long whatever the number of rounds.
 * Ties for the best accuracy go to the earliest round.
 *
 * @returns undefined when there are no rounds.
 * @example
 * ```ts
 * const s = summarizeRounds(log.snapshot().rounds);
 * console.log(s?.best?.round, accuracyOf(s?.lastEval?.eval));
 * ```
 */
export function summarizeRounds(rounds: readonly RoundRecord[]): RunSummary | undefined {
  const sorted = [...rounds].sort((a, b) => a.round - b.round);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const evaluated = sorted.filter((r) => accuracyOf(r.eval) !== undefined);
  const bestBy = evaluated.length > 0 ? 'eval' : sorted.some((r) => accuracyOf(r.train) !== undefined) ? 'train' : undefined;
  let best: RoundRecord | undefined;
  if (bestBy !== undefined) {
    for (const r of bestBy === 'eval' ? evaluated : sorted) {
      const acc = accuracyOf(r[bestBy]);
      if (acc !== undefined && (best === undefined || acc > accuracyOf(best[bestBy])!)) best = r;
    }
  }
  const lastEval = [...sorted].reverse().find((r) => r.eval !== undefined);
  return {
    first,
    last,
    ...(best === undefined ? {} : { best, bestBy: bestBy! }),
    ...(lastEval === undefined ? {} : { lastEval }),
    rounds: sorted.length,
    totalMs: sorted.reduce((s, r) => s + r.durationMs, 0),
    failures: sorted.reduce((s, r) => s + r.failures, 0),
  };
}
