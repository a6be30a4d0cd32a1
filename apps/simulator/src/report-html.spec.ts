import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RoundRecord } from './metrics-log.js';
import { buildReportHtml, reportHeadline } from './report-html.js';

const CHROMIUM = '/usr/bin/chromium';

// On a developer machine without Debian's chromium the browser test is skipped; in CI (.ci/run installs
// chromium) a missing browser is a failure, so the charts are always checked where it counts.
const browserMissing = !existsSync(CHROMIUM);
if (browserMissing && process.env['CI']) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to test report.html.`);

const ROUNDS: RoundRecord[] = [
  { round: 1, train: { loss: 0.9, sparse_categorical_accuracy: 0.5 }, eval: { loss: 0.8, sparse_categorical_accuracy: 0.6 }, durationMs: 1500, examplesPerSecond: 10, clients: 2, failures: 0 },
  { round: 2, train: { loss: 0.4, sparse_categorical_accuracy: 0.75 }, durationMs: 500, examplesPerSecond: 20, clients: 3, failures: 1 },
  { round: 3, train: { loss: 0.3, sparse_categorical_accuracy: 0.8 }, eval: { loss: 0.7, sparse_categorical_accuracy: 0.55 }, durationMs: 250, examplesPerSecond: 20, clients: 3, failures: 0 },
];

describe('reportHeadline', () => {
  it('is the latest test accuracy, with the best when that was another round', () => {
    expect(reportHeadline(ROUNDS, 3)).toEqual({ figure: '55.00%', detail: 'test accuracy after round 3 of 3 (best 60.00% at round 1)' });
  });

  it('falls back to training accuracy when nothing was evaluated, and says so', () => {
    expect(reportHeadline([ROUNDS[1]!])).toEqual({ figure: '75.00%', detail: 'training accuracy (clients, no evaluation) after round 2' });
  });

  it('has no figure before the first round', () => {
    expect(reportHeadline([]).figure).toBe('-');
  });
});

describe('buildReportHtml', () => {
  it('reloads itself while the run is going on, and not once it has finished', () => {
    const data = { title: 't', summary: {}, rounds: ROUNDS };
    expect(buildReportHtml({ ...data, status: { state: 'running', plannedRounds: 9 } })).toContain('http-equiv="refresh"');
    expect(buildReportHtml({ ...data, status: { state: 'finished', plannedRounds: 3 } })).not.toContain('http-equiv="refresh"');
  });
});

interface ChartView {
  labels: unknown[] | undefined;
  datasets: { label: string; data: unknown[] }[];
  xTitle: string;
  yTitle: string;
  canvas: { width: number; clientWidth: number; height: number; clientHeight: number };
}

describe.skipIf(browserMissing)('report.html in headless chromium', () => {
  let browser: Browser;
  let file: string;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const html = buildReportHtml({
      title: 'test run',
      summary: { task: 'tiny' },
      rounds: ROUNDS,
      labelHistogram: { labels: ['0', '1'], perClient: [[3, 1], [0, 4]] },
      status: { state: 'finished', plannedRounds: 3 },
    });
    file = join(mkdtempSync(join(tmpdir(), 'report-')), 'report.html');
    writeFileSync(file, html);
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(width: number, deviceScaleFactor: number) {
    const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    const charts = await page.evaluate(() => {
      type Chart = {
        data: { labels?: unknown[]; datasets: { label: string; data: unknown[] }[] };
        options: { scales: Record<string, { title: { text: string } }> };
        canvas: HTMLCanvasElement;
      };
      const C = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): Chart | undefined } }).Chart;
      const get = (id: string) => {
        const chart = C.getChart(document.getElementById(id) as HTMLCanvasElement)!;
        const c = chart.canvas;
        return {
          labels: chart.data.labels,
          datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })),
          xTitle: chart.options.scales['x']!.title.text,
          yTitle: chart.options.scales['y']!.title.text,
          canvas: { width: c.width, clientWidth: c.clientWidth, height: c.height, clientHeight: c.clientHeight },
        };
      };
      return {
        accuracy: get('accuracy'),
        loss: get('loss'),
        clients: get('clients'),
        duration: get('duration'),
        labels: get('labels'),
        headline: `${document.getElementById('headline-figure')!.textContent} ${document.getElementById('headline-detail')!.textContent}`,
      };
    });
    await page.close();
    return { charts, requests, errors };
  }

  it('renders the headline and every chart with readable legends and axis titles, offline', async () => {
    const { charts, requests, errors } = await open(1400, 1);
    expect(errors).toEqual([]);
    // Only the file itself: Chart.js is inlined, nothing is fetched.
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(charts.headline).toBe('55.00% test accuracy after round 3 of 3 (best 60.00% at round 1)');
    expect(charts.accuracy.datasets).toEqual([
      { label: 'training accuracy (clients)', data: [{ x: 1, y: 0.5 }, { x: 2, y: 0.75 }, { x: 3, y: 0.8 }] },
      // Round 2 was not evaluated: no point, rather than a gap.
      { label: 'test accuracy (held-out split)', data: [{ x: 1, y: 0.6 }, { x: 3, y: 0.55 }] },
    ]);
    expect([charts.accuracy.xTitle, charts.accuracy.yTitle]).toEqual(['round', 'accuracy']);
    expect(charts.loss.datasets.map((d) => d.label)).toEqual(['training loss (clients)', 'test loss (held-out split)']);
    expect(charts.loss.datasets[1]!.data).toEqual([{ x: 1, y: 0.8 }, { x: 3, y: 0.7 }]);
    // 3 clients in round 2, 1 failed.
    expect(charts.clients.datasets).toEqual([
      { label: 'clients that finished', data: [2, 2, 3] },
      { label: 'clients that failed', data: [0, 1, 0] },
    ]);
    // 1500, 500 and 250 ms in seconds.
    expect(charts.duration.datasets[0]!.data).toEqual([1.5, 0.5, 0.25]);
    expect([charts.duration.xTitle, charts.duration.yTitle]).toEqual(['round', 'seconds']);
    expect(charts.labels.labels).toEqual([0, 1]);
    expect(charts.labels.datasets).toEqual([{ label: 'label 0', data: [3, 0] }, { label: 'label 1', data: [1, 4] }]);
    expect([charts.labels.xTitle, charts.labels.yTitle]).toEqual(['client', 'examples']);
  });

  it('draws each chart at its on-screen size times devicePixelRatio (no stretching), at 1400 px and at 600 px', async () => {
    for (const [width, dpr] of [[1400, 1], [600, 2]] as const) {
      const { charts } = await open(width, dpr);
      for (const c of Object.values(charts).filter((v): v is ChartView => typeof v === 'object')) {
        expect(c.canvas.width).toBe(Math.round(c.canvas.clientWidth * dpr));
        expect(c.canvas.height).toBe(Math.round(c.canvas.clientHeight * dpr));
      }
      // Two chart columns on a wide screen, one on a narrow one: the accuracy chart takes about half or all of the width.
      const ratio = charts.accuracy.canvas.clientWidth / width;
      if (width === 1400) expect(ratio).toBeLessThan(0.5);
      else expect(ratio).toBeGreaterThan(0.8);
    }
  });
});
