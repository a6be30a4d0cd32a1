import cliProgress from 'cli-progress';

import type { RoundRecord } from './metrics-log.js';
import { accuracyOf, summarizeRounds } from './run-summary.js';
import type { SimulationEvent } from './simulation-event.js';
import { paint, type Style } from './terminal-color.js';

/** Where the display writes, and whether it may redraw lines. */
export interface DisplayTarget {
  readonly isTTY: boolean;
  write(text: string): void;
}

/** How much the display says. */
export interface DisplayOptions {
  /** Every round's train and eval lines, every client failure and every checkpoint (default false). */
  readonly verbose?: boolean;
  /** ANSI colours; see `colorEnabled` (default false). */
  readonly color?: boolean;
  /** Without `verbose`, at most about this many round lines per run (default 50); the rounds between are in metrics.csv. */
  readonly maxRoundLines?: number;
}

/** Distinct client errors printed in full without `verbose`; later ones are only counted. */
const DISTINCT_ERRORS_SHOWN = 3;

function fmt(v: number | undefined, digits = 4): string {
  return v === undefined ? '-' : v.toFixed(digits);
}

/**
 * Renders simulation events for a person. Quiet by default: one line every
 * few rounds (at most `maxRoundLines` per run, train and eval together), each
 * distinct client error once, and a final summary of O(1) lines (the first,
 * best and last rounds), so a 200-round run fits a screen; `verbose` prints
 * every round, failure and checkpoint. On a TTY a cli-progress bar shows the
 * running round (clients done/total, ETA); otherwise (CI) there are no
 * carriage returns or escape codes, and colour only when `color` is set.
 *
 * @example
 * ```ts
 * const display = new TerminalDisplay(
 *   { isTTY: process.stdout.isTTY === true, write: (s) => process.stdout.write(s) },
 *   { verbose: false, color: colorEnabled(process.stdout.isTTY === true, process.env) },
 * );
 * simulate(options).subscribe((e) => display.handle(e));
 * ```
 */
export class TerminalDisplay {
  private bar: cliProgress.SingleBar | undefined;
  private readonly rows = new Map<number, RoundRecord>();
  private readonly clients = new Map<number, number>();
  private readonly errorsSeen = new Set<string>();
  private errorsHidden = 0;
  /** A finished round whose line waits for its evaluation (or for the next event). */
  private pending: number | undefined;
  private startRound = 1;
  private totalRounds = 0;
  private stride = 1;
  private readonly verbose: boolean;
  private readonly color: boolean;
  private readonly maxRoundLines: number;

  constructor(
    private readonly target: DisplayTarget,
    options: DisplayOptions = {},
  ) {
    this.verbose = options.verbose ?? false;
    this.color = options.color ?? false;
    this.maxRoundLines = Math.max(1, options.maxRoundLines ?? 50);
  }

  private line(s: string): void {
    this.target.write(`${s}\n`);
  }

  private paint(style: Style, s: string): string {
    return paint(this.color, style, s);
  }

  private stopBar(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  handle(e: SimulationEvent): void {
    if (e.kind !== 'evaluated' && e.kind !== 'client-finished') this.flushPending();
    switch (e.kind) {
      case 'run-started':
        this.startRound = e.startRound;
        this.totalRounds = e.rounds;
        this.stride = this.verbose ? 1 : Math.max(1, Math.ceil((e.rounds - e.startRound + 1) / this.maxRoundLines));
        for (const h of e.history) this.record(h);
        this.line(
          `rounds ${e.startRound}..${e.rounds} of ${e.rounds}, ${e.clientsPerRound} of ${e.numClients} clients per round, seed ${e.seed}` +
            (e.resumedFrom === undefined ? '' : `, resumed from ${e.resumedFrom}`) +
            (this.stride > 1 ? `; a line every ${this.stride} rounds (--verbose: every round)` : ''),
        );
        break;
      case 'round-started':
        this.clients.set(e.round, e.clientIds.length);
        if (this.target.isTTY) {
          this.bar = new cliProgress.SingleBar(
            { format: `round ${e.round}/${this.totalRounds} [{bar}] {value}/{total} clients | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true, stream: process.stdout },
            cliProgress.Presets.shades_classic,
          );
          this.bar.start(e.clientIds.length, 0);
        }
        break;
      case 'client-finished':
        this.bar?.update(e.done);
        // Executors' messages often begin with the client's id, which the line already names.
        if (!e.ok) this.clientFailed(e.round, e.clientId, (e.error ?? 'unknown error').replace(new RegExp(`^client ${e.clientId}: `), ''));
        break;
      case 'round-finished':
        this.stopBar();
        this.record(e);
        if (this.verbose) {
          this.line(
            `round ${e.round}: train loss ${fmt(e.train['loss'])} accuracy ${fmt(accuracyOf(e.train))} | ${Math.round(e.examplesPerSecond)} examples/s | ${(e.durationMs / 1000).toFixed(2)} s` +
              (e.failures > 0 ? ` | ${this.paint('red', `${e.failures} failed`)}` : ''),
          );
        } else {
          this.pending = e.round;
        }
        break;
      case 'evaluated': {
        this.record(e);
        const m = e.centralized ?? e.federated;
        if (this.verbose) this.line(`round ${e.round}: eval loss ${fmt(m?.['loss'])} accuracy ${fmt(accuracyOf(m))}`);
        else if (this.pending === e.round) this.flushPending();
        const p = e.personalization;
        if (p !== undefined) {
          const mean = (strategy: string): Record<string, number> =>
            Object.fromEntries(Object.entries(p.summary[strategy] ?? {}).map(([k, s]) => [k, s.mean]));
          for (const strategy of Object.keys(p.summary).filter((s) => s !== 'baseline_metrics')) {
            this.line(
              `personalization (${strategy}, ${p.clients.length} clients${p.failures.length > 0 ? `, ${p.failures.length} failed` : ''}): ` +
                `mean accuracy ${fmt(accuracyOf(mean('baseline_metrics')))} before, ${fmt(accuracyOf(mean(strategy)))} after; ` +
                `mean loss ${fmt(mean('baseline_metrics')['loss'])} before, ${fmt(mean(strategy)['loss'])} after`,
            );
          }
        }
        break;
      }
      case 'checkpoint-rejected':
        this.line(this.paint('yellow', `warning: checkpoint ${e.path} is damaged and was skipped: ${e.reason}`));
        break;
      case 'checkpoint-saved':
        if (this.verbose && !this.target.isTTY) this.line(`checkpoint: round ${e.round} -> ${e.path}`);
        break;
      case 'run-finished':
        this.stopBar();
        this.summary();
        this.line(
          `${e.stopped ? 'stopped' : 'finished'} after ${e.roundsCompleted} rounds in ${(e.totalMs / 1000).toFixed(1)} s; ` +
            `final test accuracy ${fmt(accuracyOf(e.finalEval))}, test loss ${fmt(e.finalEval?.['loss'])}`,
        );
        break;
    }
  }

  private record(e: SimulationEvent): void {
    if (e.kind === 'round-finished') {
      this.rows.set(e.round, {
        round: e.round,
        train: e.train,
        durationMs: e.durationMs,
        examplesPerSecond: e.examplesPerSecond,
        clients: this.clients.get(e.round) ?? 0,
        failures: e.failures,
      });
    } else if (e.kind === 'evaluated') {
      const row = this.rows.get(e.round);
      const m = e.centralized ?? e.federated;
      if (row !== undefined && m !== undefined) this.rows.set(e.round, { ...row, eval: m });
    }
  }

  private clientFailed(round: number, clientId: number, error: string): void {
    if (this.verbose || (!this.errorsSeen.has(error) && this.errorsSeen.size < DISTINCT_ERRORS_SHOWN)) {
      this.errorsSeen.add(error);
      this.stopBar();
      this.line(this.paint('red', `round ${round}: client ${clientId} failed: ${error}`));
    } else {
      this.errorsHidden += 1;
    }
  }

  /** Prints the waiting round's line if the round is one of every `stride`, the first or the last. */
  private flushPending(): void {
    const round = this.pending;
    this.pending = undefined;
    if (round === undefined) return;
    const r = this.rows.get(round);
    const shown = round === this.startRound || round === this.totalRounds || (round - this.startRound + 1) % this.stride === 0;
    if (r === undefined || !shown) return;
    const evalPart = r.eval === undefined ? '' : ` | eval loss ${fmt(r.eval['loss'])} acc ${this.paint('bold', fmt(accuracyOf(r.eval)))}`;
    this.line(
      `round ${round}/${this.totalRounds}: train loss ${fmt(r.train['loss'])} acc ${fmt(accuracyOf(r.train))}${evalPart} | ` +
        `${Math.round(r.examplesPerSecond)} examples/s | ${(r.durationMs / 1000).toFixed(2)} s` +
        (r.failures > 0 ? ` | ${this.paint('red', `${r.failures} failed`)}` : ''),
    );
  }

  /** The first, best and last rounds: a constant number of lines, however long the run. */
  private summary(): void {
    const s = summarizeRounds([...this.rows.values()]);
    if (s === undefined) return;
    const labels = new Map<RoundRecord, string[]>();
    const label = (r: RoundRecord, name: string): void => void labels.set(r, [...(labels.get(r) ?? []), name]);
    label(s.first, 'first');
    if (s.best !== undefined) label(s.best, `best ${s.bestBy}`);
    label(s.last, 'last');
    this.line('');
    this.line('                  round | train loss | train acc | eval loss | eval acc | examples/s | seconds');
    for (const [r, names] of [...labels].sort((a, b) => a[0].round - b[0].round)) {
      const row =
        `${names.join(', ').padEnd(16)} ${String(r.round).padStart(6)} | ${fmt(r.train['loss']).padStart(10)} | ${fmt(accuracyOf(r.train)).padStart(9)} | ` +
        `${fmt(r.eval?.['loss']).padStart(9)} | ${fmt(accuracyOf(r.eval)).padStart(8)} | ${String(Math.round(r.examplesPerSecond)).padStart(10)} | ${(r.durationMs / 1000).toFixed(2).padStart(7)}`;
      this.line(r === s.best ? this.paint('green', row) : row);
    }
    const failed = s.failures > 0 ? this.paint('red', `${s.failures} client failures`) : 'no client failures';
    this.line(
      `${s.rounds} rounds, mean ${(s.totalMs / s.rounds / 1000).toFixed(2)} s per round, ${failed}` +
        (this.errorsHidden > 0 ? ` (${this.errorsHidden} failure messages not shown; --verbose prints each)` : '') +
        '; every round is in metrics.csv',
    );
  }
}
