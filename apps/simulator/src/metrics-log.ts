import { join } from 'node:path';

import { writeFileAtomic } from './write-file-atomic.js';

/** One row of the per-round metrics table (`metrics.csv`, `report.html`). */
export interface RoundRecord {
  readonly round: number;
  /** Finalized training metrics of the round (loss, accuracy, num_examples, ...). */
  readonly train: Readonly<Record<string, number>>;
  /** Centralized evaluation metrics, when the round was evaluated. */
  readonly eval?: Readonly<Record<string, number>>;
  readonly durationMs: number;
  readonly examplesPerSecond: number;
  readonly clients: number;
  readonly failures: number;
}

/**
 * The run's metric history and its two files in the output directory:
 * `metrics.jsonl` (one JSON object per kept event) and `metrics.csv` (one row
 * per round). Both are rewritten whole and atomically on every flush, so that
 * after a resume they hold exactly the checkpoint's history plus what followed.
 *
 * @example
 * ```ts
 * const log = new MetricsLog('out');
 * log.addEvent({ kind: 'round-finished', round: 1 });
 * log.addRound({ round: 1, train: { loss: 0.5 }, durationMs: 10, examplesPerSecond: 100, clients: 2, failures: 0 });
 * await log.flush();
 * ```
 */
export class MetricsLog {
  private readonly events: unknown[] = [];
  private readonly rounds: RoundRecord[] = [];

  constructor(
    readonly dir: string,
    history: { events?: readonly unknown[]; rounds?: readonly RoundRecord[] } = {},
  ) {
    this.events.push(...(history.events ?? []));
    this.rounds.push(...(history.rounds ?? []));
  }

  /** Keeps an event for `metrics.jsonl` (must be JSON-serializable). */
  addEvent(event: unknown): void {
    this.events.push(event);
  }

  /** Adds or replaces (same round number) a round's row. */
  addRound(record: RoundRecord): void {
    const i = this.rounds.findIndex((r) => r.round === record.round);
    if (i >= 0) this.rounds[i] = record;
    else this.rounds.push(record);
  }

  /** Merges eval metrics into an existing round row. */
  setEval(round: number, metrics: Readonly<Record<string, number>>): void {
    const i = this.rounds.findIndex((r) => r.round === round);
    if (i >= 0) this.rounds[i] = { ...this.rounds[i]!, eval: metrics };
  }

  /** A copy of the history (for checkpoints and the report). */
  snapshot(): { events: unknown[]; rounds: RoundRecord[] } {
    return { events: [...this.events], rounds: [...this.rounds] };
  }

  /** The per-round table as CSV: `round,duration_ms,examples_per_second,clients,failures,train_<m>...,eval_<m>...`. */
  toCsv(): string {
    const trainKeys = keysOf(this.rounds.map((r) => r.train));
    const evalKeys = keysOf(this.rounds.map((r) => r.eval ?? {}));
    const header = ['round', 'duration_ms', 'examples_per_second', 'clients', 'failures', ...trainKeys.map((k) => `train_${k}`), ...evalKeys.map((k) => `eval_${k}`)];
    const lines = [header.join(',')];
    for (const r of this.rounds) {
      lines.push(
        [
          r.round,
          r.durationMs.toFixed(1),
          r.examplesPerSecond.toFixed(1),
          r.clients,
          r.failures,
          ...trainKeys.map((k) => num(r.train[k])),
          ...evalKeys.map((k) => num(r.eval?.[k])),
        ].join(','),
      );
    }
    return lines.join('\n') + '\n';
  }

  /** Rewrites `metrics.jsonl` and `metrics.csv` atomically. */
  async flush(): Promise<void> {
    await writeFileAtomic(join(this.dir, 'metrics.jsonl'), this.events.map((e) => JSON.stringify(e)).join('\n') + (this.events.length > 0 ? '\n' : ''));
    await writeFileAtomic(join(this.dir, 'metrics.csv'), this.toCsv());
  }
}

function keysOf(records: readonly Readonly<Record<string, number>>[]): string[] {
  const keys = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) keys.add(k);
  return [...keys];
}

function num(v: number | undefined): string {
  return v === undefined ? '' : String(v);
}
