import cliProgress from 'cli-progress';

import type { SimulationEvent } from './simulation-event.js';

/** Where the display writes, and whether it may redraw lines. */
export interface DisplayTarget {
  readonly isTTY: boolean;
  write(text: string): void;
}

function fmt(v: number | undefined, digits = 4): string {
  return v === undefined ? '-' : v.toFixed(digits);
}

function accuracyOf(m: Readonly<Record<string, number>> | undefined): number | undefined {
  if (m === undefined) return undefined;
  const key = Object.keys(m).find((k) => /acc/.test(k));
  return key === undefined ? undefined : m[key];
}

/**
 * Renders simulation events for a person: on a TTY, a live progress bar per
 * round (clients done/total, ETA) from cli-progress; otherwise plain lines,
 * so CI logs stay readable. Either way one summary line per round and a final
 * table.
 *
 * @example
 * ```ts
 * const display = new TerminalDisplay({ isTTY: process.stdout.isTTY === true, write: (s) => process.stdout.write(s) });
 * simulate(options).subscribe((e) => display.handle(e));
 * ```
 */
export class TerminalDisplay {
  private bar: cliProgress.SingleBar | undefined;
  private readonly rows: { round: number; loss?: number; acc?: number; evalLoss?: number; evalAcc?: number; exs: number; s: number }[] = [];

  constructor(private readonly target: DisplayTarget) {}

  private line(s: string): void {
    this.target.write(`${s}\n`);
  }

  handle(e: SimulationEvent): void {
    switch (e.kind) {
      case 'run-started':
        this.line(
          `rounds ${e.startRound}..${e.rounds} of ${e.rounds}, ${e.clientsPerRound} of ${e.numClients} clients per round, seed ${e.seed}` +
            (e.resumedFrom === undefined ? '' : `, resumed from ${e.resumedFrom}`),
        );
        break;
      case 'round-started':
        if (this.target.isTTY) {
          this.bar = new cliProgress.SingleBar(
            { format: `round ${e.round} [{bar}] {value}/{total} clients | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true, stream: process.stdout },
            cliProgress.Presets.shades_classic,
          );
          this.bar.start(e.clientIds.length, 0);
        }
        break;
      case 'client-finished':
        if (this.bar !== undefined) this.bar.update(e.done);
        if (!e.ok) {
          this.bar?.stop();
          this.bar = undefined;
          this.line(`round ${e.round}: client ${e.clientId} failed: ${e.error ?? 'unknown error'}`);
        }
        break;
      case 'round-finished': {
        this.bar?.stop();
        this.bar = undefined;
        this.rows.push({ round: e.round, loss: e.train['loss'], acc: accuracyOf(e.train), exs: e.examplesPerSecond, s: e.durationMs / 1000 });
        this.line(
          `round ${e.round}: train loss ${fmt(e.train['loss'])} accuracy ${fmt(accuracyOf(e.train))} | ${Math.round(e.examplesPerSecond)} examples/s | ${(e.durationMs / 1000).toFixed(2)} s` +
            (e.failures > 0 ? ` | ${e.failures} failed` : ''),
        );
        break;
      }
      case 'evaluated': {
        const m = e.centralized ?? e.federated;
        const row = this.rows.find((r) => r.round === e.round);
        if (row !== undefined && m !== undefined) {
          const evalLoss = m['loss'];
          const evalAcc = accuracyOf(m);
          if (evalLoss !== undefined) row.evalLoss = evalLoss;
          if (evalAcc !== undefined) row.evalAcc = evalAcc;
        }
        this.line(`round ${e.round}: eval loss ${fmt(m?.['loss'])} accuracy ${fmt(accuracyOf(m))}`);
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
        this.line(`warning: checkpoint ${e.path} is damaged and was skipped: ${e.reason}`);
        break;
      case 'checkpoint-saved':
        if (!this.target.isTTY) this.line(`checkpoint: round ${e.round} -> ${e.path}`);
        break;
      case 'run-finished': {
        this.bar?.stop();
        this.bar = undefined;
        this.line('');
        this.line(' round | train loss | train acc | eval loss | eval acc | examples/s | seconds');
        for (const r of this.rows) {
          this.line(
            `${String(r.round).padStart(6)} | ${fmt(r.loss).padStart(10)} | ${fmt(r.acc).padStart(9)} | ${fmt(r.evalLoss).padStart(9)} | ${fmt(r.evalAcc).padStart(8)} | ${String(Math.round(r.exs)).padStart(10)} | ${r.s.toFixed(2).padStart(7)}`,
          );
        }
        this.line('');
        this.line(
          `${e.stopped ? 'stopped' : 'finished'} after ${e.roundsCompleted} rounds in ${(e.totalMs / 1000).toFixed(1)} s; ` +
            `final test accuracy ${fmt(accuracyOf(e.finalEval))}, test loss ${fmt(e.finalEval?.['loss'])}`,
        );
        break;
      }
    }
  }
}
