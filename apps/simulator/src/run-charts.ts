import type { RoundRecord } from './metrics-log.js';

/** Examples per label on each client (rows: clients, columns: labels). */
export interface LabelHistogram {
  readonly labels: readonly string[];
  readonly perClient: readonly (readonly number[])[];
}

/** Where a run stands: the page says "running" (and a live page keeps listening) until it is finished or stopped. */
export interface RunStatus {
  readonly state: 'running' | 'finished' | 'stopped';
  /** The rounds the run was asked for (`--rounds`). */
  readonly plannedRounds: number;
}

/** The figure a person reads first, with its context (see `reportHeadline`). */
export interface Headline {
  /** e.g. `94.60%`, or `-` before any accuracy is known. */
  readonly figure: string;
  /** e.g. `test accuracy after round 200 of 200 (best 94.93% at round 187)`. */
  readonly detail: string;
}

/** Everything the charts of `report.html` and of the live dashboard draw. */
export interface RunView {
  readonly title: string;
  /** Lines shown under the title (task, algorithm, runtime, ...). */
  readonly summary: Readonly<Record<string, string | number>>;
  readonly rounds: readonly RoundRecord[];
  readonly labelHistogram?: LabelHistogram;
  readonly status?: RunStatus;
  readonly headline: Headline;
}

/** The few members of a Chart.js chart that the page uses. */
export interface ChartInstance {
  data: { labels?: unknown[]; datasets: { label?: string; data: unknown[]; [option: string]: unknown }[] };
  /** Redraws the chart after its data changed. */
  update(mode?: string): void;
}

/** Chart.js's constructor (`window.Chart`), typed as far as the page uses it. */
export type ChartConstructor = new (canvas: unknown, config: unknown) => ChartInstance;

/** The DOM members the page uses (the simulator compiles without the DOM library). */
export interface PageDocument {
  /** The element with this id, or null. */
  getElementById(id: string): { textContent: string | null; hidden?: boolean } | null;
}

/**
 * Draws a run into the page built by `buildReportHtml` and returns a function
 * that redraws it from a newer {@link RunView}: the static report calls it
 * once, the live dashboard on every update. Each chart sizes itself to its
 * container (Chart.js `responsive` with `maintainAspectRatio: false`, drawn at
 * the screen's devicePixelRatio), has axis titles and readable legend names,
 * and leaves room for the last point.
 *
 * Runs in the browser: the page inlines this function's source, so it must
 * use nothing from outside its own body.
 *
 * @example
 * ```ts
 * // In the page: const update = mountRunCharts(window.Chart, document, view); later update(newerView);
 * ```
 */
export function mountRunCharts(Chart: ChartConstructor, doc: PageDocument, initial: RunView): (view: RunView) => void {
  const TRAIN = '#1f77b4';
  const TEST = '#d62728';
  const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

  /** "sparse_categorical_accuracy" -> "accuracy"; other metric keys lose their underscores. */
  function metricName(key: string): string {
    if (/acc/.test(key)) return 'accuracy';
    return key.replace(/_/g, ' ');
  }
  function accuracyKey(rounds: readonly RoundRecord[], part: 'train' | 'eval'): string | undefined {
    for (const r of rounds) {
      const m = r[part];
      if (m !== undefined) {
        const k = Object.keys(m).find((x) => /acc/.test(x));
        if (k !== undefined) return k;
      }
    }
    return undefined;
  }
  /** Points {x: round, y} of the rounds that have the metric (evaluation may run every few rounds). */
  function points(rounds: readonly RoundRecord[], part: 'train' | 'eval', key: string | undefined): { x: number; y: number }[] {
    const out: { x: number; y: number }[] = [];
    if (key === undefined) return out;
    for (const r of rounds) {
      const v = r[part]?.[key];
      if (typeof v === 'number' && Number.isFinite(v)) out.push({ x: r.round, y: v });
    }
    return out;
  }
  function canvas(id: string): unknown {
    return doc.getElementById(id);
  }
  function axes(x: string, y: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      x: { title: { display: true, text: x }, ...((extra['x'] as object | undefined) ?? {}) },
      y: { title: { display: true, text: y }, ...((extra['y'] as object | undefined) ?? {}) },
    };
  }
  const base = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    // Room on the right and top so that the last point and a point at 1.0 are drawn whole.
    layout: { padding: { right: 14, top: 6 } },
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    plugins: { legend: { position: 'bottom', labels: { boxWidth: 14 } } },
  };
  function lineChart(id: string, yTitle: string, yExtra: Record<string, unknown> = {}): ChartInstance {
    return new Chart(canvas(id), {
      type: 'line',
      data: { datasets: [] },
      options: {
        ...base,
        clip: false,
        scales: axes('round', yTitle, { x: { type: 'linear', ticks: { precision: 0 } }, y: yExtra }),
      },
    });
  }
  function barChart(id: string, xTitle: string, yTitle: string, stacked: boolean): ChartInstance {
    return new Chart(canvas(id), {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: { ...base, scales: axes(xTitle, yTitle, { x: { stacked, ticks: { maxRotation: 0, autoSkip: true } }, y: { stacked, beginAtZero: true } }) },
    });
  }
  function line(label: string, color: string, data: { x: number; y: number }[]): ChartInstance['data']['datasets'][number] {
    return { label, data, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: data.length > 60 ? 0 : 2.5, tension: 0 };
  }

  const accuracy = lineChart('accuracy', 'accuracy', { suggestedMin: 0, suggestedMax: 1 });
  const loss = lineChart('loss', 'loss', { beginAtZero: true });
  const clients = barChart('clients', 'round', 'clients', true);
  const duration = barChart('duration', 'round', 'seconds', false);
  const labels = barChart('labels', 'client', 'examples', true);

  function setText(id: string, text: string): void {
    const el = doc.getElementById(id);
    if (el !== null) el.textContent = text;
  }

  function update(view: RunView): void {
    const rounds = view.rounds;
    const trainAcc = accuracyKey(rounds, 'train');
    const testAcc = accuracyKey(rounds, 'eval');
    accuracy.data.datasets = [
      ...(trainAcc === undefined ? [] : [line(`training ${metricName(trainAcc)} (clients)`, TRAIN, points(rounds, 'train', trainAcc))]),
      ...(testAcc === undefined ? [] : [line(`test ${metricName(testAcc)} (held-out split)`, TEST, points(rounds, 'eval', testAcc))]),
    ];
    loss.data.datasets = [
      line('training loss (clients)', TRAIN, points(rounds, 'train', 'loss')),
      ...(testAcc === undefined && !rounds.some((r) => r.eval !== undefined) ? [] : [line('test loss (held-out split)', TEST, points(rounds, 'eval', 'loss'))]),
    ];
    const roundLabels = rounds.map((r) => r.round);
    clients.data.labels = roundLabels;
    clients.data.datasets = [
      { label: 'clients that finished', data: rounds.map((r) => r.clients - r.failures), backgroundColor: '#2ca02c' },
      { label: 'clients that failed', data: rounds.map((r) => r.failures), backgroundColor: TEST },
    ];
    duration.data.labels = roundLabels;
    duration.data.datasets = [{ label: 'round duration (s)', data: rounds.map((r) => r.durationMs / 1000), backgroundColor: '#9467bd' }];
    const h = view.labelHistogram;
    if (h !== undefined) {
      labels.data.labels = h.perClient.map((_, i) => i);
      labels.data.datasets = h.labels.map((label, j) => ({
        label: `label ${label}`,
        data: h.perClient.map((row) => row[j]),
        backgroundColor: PALETTE[j % PALETTE.length],
      }));
    }
    for (const c of [accuracy, loss, clients, duration, labels]) c.update('none');
    setText('headline-figure', view.headline.figure);
    setText('headline-detail', view.headline.detail);
    const s = view.status;
    const last = rounds.length > 0 ? rounds[rounds.length - 1]!.round : 0;
    setText('status', s === undefined ? '' : s.state === 'running' ? `running: round ${last} of ${s.plannedRounds} done` : `${s.state} after ${last} rounds`);
  }

  update(initial);
  return update;
}
