import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type { RoundRecord } from './metrics-log.js';

/** Examples per label on each client (rows: clients, columns: labels). */
export interface LabelHistogram {
  readonly labels: readonly string[];
  readonly perClient: readonly (readonly number[])[];
}

/** What {@link buildReportHtml} draws. */
export interface ReportData {
  readonly title: string;
  /** Lines shown under the title (task, algorithm, runtime, ...). */
  readonly summary: Readonly<Record<string, string | number>>;
  readonly rounds: readonly RoundRecord[];
  readonly labelHistogram?: LabelHistogram;
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

/**
 * A self-contained HTML report (no network: Chart.js is inlined): accuracy and
 * loss per round (train and eval), round duration, and the partition's label
 * histogram per client. Each chart is a `<canvas>` with an id (`accuracy`,
 * `loss`, `duration`, `labels`), so `Chart.getChart(canvas)` finds it.
 *
 * @example
 * ```ts
 * await writeFile('out/report.html', buildReportHtml({ title: 'mnist-2nn', summary: {}, rounds }));
 * ```
 */
export function buildReportHtml(data: ReportData): string {
  const rows = Object.entries(data.summary)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(data.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem}
.card{border:1px solid #ddd;border-radius:6px;padding:1rem}th{text-align:left;padding-right:1rem}canvas{width:100%!important;height:300px!important}</style>
</head><body>
<h1>${escapeHtml(data.title)}</h1>
<table>${rows}</table>
<div class="grid">
<div class="card"><h2>Accuracy</h2><canvas id="accuracy"></canvas></div>
<div class="card"><h2>Loss</h2><canvas id="loss"></canvas></div>
<div class="card"><h2>Round duration (s)</h2><canvas id="duration"></canvas></div>
<div class="card"><h2>Label histogram per client</h2><canvas id="labels"></canvas></div>
</div>
<script>${chartJs()}</script>
<script id="report-data" type="application/json">${scriptJson(data)}</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var rounds = data.rounds.map(function (r) { return r.round; });
  function series(part, key) {
    return data.rounds.map(function (r) { var m = r[part]; return m && typeof m[key] === 'number' ? m[key] : null; });
  }
  function accKey(part) {
    var keys = {};
    data.rounds.forEach(function (r) { Object.keys(r[part] || {}).forEach(function (k) { keys[k] = true; }); });
    return Object.keys(keys).filter(function (k) { return /acc/.test(k); })[0];
  }
  Chart.defaults.animation = false;
  function line(id, sets) {
    new Chart(document.getElementById(id), {
      type: 'line',
      data: { labels: rounds, datasets: sets },
      options: { responsive: false, spanGaps: true, scales: { x: { title: { display: true, text: 'round' } } } },
    });
  }
  var trainAcc = accKey('train'), evalAcc = accKey('eval');
  var accSets = [];
  if (trainAcc) accSets.push({ label: 'train ' + trainAcc, data: series('train', trainAcc), borderColor: '#1f77b4' });
  if (evalAcc) accSets.push({ label: 'eval ' + evalAcc, data: series('eval', evalAcc), borderColor: '#d62728' });
  line('accuracy', accSets);
  line('loss', [
    { label: 'train loss', data: series('train', 'loss'), borderColor: '#1f77b4' },
    { label: 'eval loss', data: series('eval', 'loss'), borderColor: '#d62728' },
  ]);
  new Chart(document.getElementById('duration'), {
    type: 'bar',
    data: { labels: rounds, datasets: [{ label: 'seconds', data: data.rounds.map(function (r) { return r.durationMs / 1000; }), backgroundColor: '#2ca02c' }] },
    options: { responsive: false },
  });
  var h = data.labelHistogram;
  if (h) {
    var palette = ['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf'];
    new Chart(document.getElementById('labels'), {
      type: 'bar',
      data: {
        labels: h.perClient.map(function (_, i) { return 'client ' + i; }),
        datasets: h.labels.map(function (label, j) {
          return { label: label, data: h.perClient.map(function (row) { return row[j]; }), backgroundColor: palette[j % palette.length] };
        }),
      },
      options: { responsive: false, scales: { x: { stacked: true }, y: { stacked: true } } },
    });
  }
})();
</script>
</body></html>
`;
}
