import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type { RoundRecord } from './metrics-log.js';
import { mountRunCharts, type Headline, type LabelHistogram, type RunStatus, type RunView } from './run-charts.js';
import { accuracyOf, summarizeRounds } from './run-summary.js';

export type { LabelHistogram, RunStatus, RunView, Headline } from './run-charts.js';

/** What {@link buildReportHtml} draws. */
export interface ReportData {
  readonly title: string;
  /** Lines shown under the title (task, algorithm, runtime, ...). */
  readonly summary: Readonly<Record<string, string | number>>;
  readonly rounds: readonly RoundRecord[];
  readonly labelHistogram?: LabelHistogram;
  /** Set while a run writes its report: a running report reloads itself every 15 s. */
  readonly status?: RunStatus;
}

/** How {@link buildReportHtml} builds the page. */
export interface ReportPageOptions {
  /** Serve it live: the page listens to Server-Sent Events at this path (`view` and `progress` events) and redraws. */
  readonly eventsPath?: string;
}

let chartJsSource: string | undefined;

/** Chart.js's UMD bundle, read once from node_modules (the package does not export the path). */
function chartJs(): string {
  if (chartJsSource === undefined) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    chartJsSource = readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
  }
  return chartJsSource;
}

/** JSON that is safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function percent(v: number): string {
  return `${(v * 100).toFixed(2)}%`;
}

/**
 * The headline of a run: the latest test accuracy, with the round it is from
 * and the best one if that was another; the training accuracy when the run
 * evaluates nothing.
 *
 * @example
 * ```ts
 * reportHeadline(rounds, 200); // { figure: '94.60%', detail: 'test accuracy after round 200 of 200 (best 94.93% at round 187)' }
 * ```
 */
export function reportHeadline(rounds: readonly RoundRecord[], plannedRounds?: number): Headline {
  const s = summarizeRounds(rounds);
  const of = (round: number) => `round ${round}${plannedRounds === undefined ? '' : ` of ${plannedRounds}`}`;
  if (s === undefined) return { figure: '-', detail: 'no round has finished yet' };
  const part = s.lastEval !== undefined && accuracyOf(s.lastEval.eval) !== undefined ? 'eval' : accuracyOf(s.last.train) !== undefined ? 'train' : undefined;
  if (part === undefined) return { figure: '-', detail: `no accuracy metric; ${s.rounds} rounds done` };
  const at = part === 'eval' ? s.lastEval! : s.last;
  const acc = accuracyOf(at[part])!;
  const best = s.best !== undefined && s.bestBy === part && s.best !== at ? ` (best ${percent(accuracyOf(s.best[part])!)} at round ${s.best.round})` : '';
  return { figure: percent(acc), detail: `${part === 'eval' ? 'test accuracy' : 'training accuracy (clients, no evaluation)'} after ${of(at.round)}${best}` };
}

/**
 * What the charts draw for `data` (the report data plus its headline); the live
 * dashboard sends the same object in its `view` events.
 *
 * @example
 * ```ts
 * const view = reportView({ title: 'run', summary: {}, rounds });
 * ```
 */
export function reportView(data: ReportData): RunView {
  return { ...data, headline: reportHeadline(data.rounds, data.status?.plannedRounds) };
}

/**
 * A self-contained HTML report (no network: Chart.js is inlined): the headline
 * accuracy, accuracy and loss per round (training and test), clients per
 * round with failures, round duration, and the partition's label histogram
 * per client. The charts size themselves to the window (from 600 px phones to
 * wide screens) and are drawn by `mountRunCharts`, the same code as the live
 * dashboard's. Each chart is a `<canvas>` with an id (`accuracy`, `loss`,
 * `clients`, `duration`, `labels`), so `Chart.getChart(canvas)` finds it.
 *
 * @example
 * ```ts
 * await writeFile('out/report.html', buildReportHtml({ title: 'mnist-2nn', summary: {}, rounds }));
 * ```
 */
export function buildReportHtml(data: ReportData, options: ReportPageOptions = {}): string {
  const rows = Object.entries(data.summary)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
    .join('');
  const live = options.eventsPath;
  const reload = live === undefined && data.status?.state === 'running' ? '<meta http-equiv="refresh" content="15">' : '';
  const card = (id: string, title: string) => `<section class="card"><h2>${title}</h2><div class="chart"><canvas id="${id}" role="img" aria-label="${title}"></canvas></div></section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${reload}
<title>${escapeHtml(data.title)}</title>
<style>
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:1rem 1.25rem 2rem;max-width:1400px;color:#1d1d1f;background:#fafafa}
h1{font-size:1.4rem;margin:.25rem 0 .75rem;overflow-wrap:anywhere}
h2{font-size:1rem;margin:0 0 .5rem}
.top{display:flex;flex-wrap:wrap;gap:1rem 2rem;align-items:flex-start;margin-bottom:1rem}
.headline{min-width:14rem}
.headline .figure{font-size:2.6rem;font-weight:700;line-height:1.1;color:#0b6e2e}
.headline .detail{color:#444}
.status{color:#555;font-size:.9rem;margin-top:.35rem}
table{border-collapse:collapse;font-size:.9rem}
th{text-align:left;padding:.1rem 1rem .1rem 0;font-weight:600;white-space:nowrap;vertical-align:top}
td{overflow-wrap:anywhere}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,520px),1fr));gap:1rem}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:.75rem .75rem .5rem;min-width:0}
.chart{position:relative;height:300px;width:100%}
.wide{grid-column:1/-1}
</style>
</head><body>
<h1>${escapeHtml(data.title)}</h1>
<div class="top">
<div class="headline"><div class="figure" id="headline-figure"></div><div class="detail" id="headline-detail"></div>
<div class="status"><span id="status"></span> <span id="progress"></span> <span id="connection"></span></div></div>
<table>${rows}</table>
</div>
<div class="grid">
${card('accuracy', 'Accuracy per round')}
${card('loss', 'Loss per round')}
${card('clients', 'Clients per round')}
${card('duration', 'Round duration')}
</div>
<div class="grid" style="margin-top:1rem"><section class="card wide"><h2>Label histogram per client</h2><div class="chart"><canvas id="labels" role="img" aria-label="Label histogram per client"></canvas></div></section></div>
<script>${chartJs()}</script>
<script id="report-data" type="application/json">${scriptJson(reportView(data))}</script>
<script>
var mountRunCharts = ${mountRunCharts.toString()};
var updateRunCharts = mountRunCharts(Chart, document, JSON.parse(document.getElementById('report-data').textContent));
${live === undefined ? '' : liveScript(live)}
</script>
</body></html>
`;
}

/** The dashboard's listener: a `view` event redraws everything, `progress` says how far the running round is. */
function liveScript(eventsPath: string): string {
  return `(function () {
  var source = new EventSource(${scriptJson(eventsPath)});
  var text = function (id, s) { document.getElementById(id).textContent = s; };
  window.fedkitViews = 0;
  source.addEventListener('view', function (m) {
    var view = JSON.parse(m.data);
    updateRunCharts(view);
    window.fedkitViews += 1;
    text('connection', '');
    if (view.status && view.status.state !== 'running') { source.close(); text('progress', ''); }
  });
  source.addEventListener('progress', function (m) {
    var p = JSON.parse(m.data);
    text('progress', '| round ' + p.round + ': ' + p.done + ' of ' + p.total + ' clients done' + (p.failed > 0 ? ', ' + p.failed + ' failed' : ''));
  });
  source.onerror = function () { text('connection', '(reconnecting to the simulator...)'); };
})();`;
}
