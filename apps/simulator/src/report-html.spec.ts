import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildReportHtml } from './report-html.js';

const CHROMIUM = '/usr/bin/chromium';

// On a developer machine without Debian's chromium the browser test is skipped; in CI (.ci/run installs
// chromium) a missing browser is a failure, so the charts are always checked where it counts.
const browserMissing = !existsSync(CHROMIUM);
if (browserMissing && process.env['CI']) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to test report.html.`);

describe.skipIf(browserMissing)('report.html in headless chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the accuracy, loss, duration and label charts with the run data, offline', async () => {
    const html = buildReportHtml({
      title: 'test run',
      summary: { task: 'tiny' },
      rounds: [
        { round: 1, train: { loss: 0.9, sparse_categorical_accuracy: 0.5 }, eval: { loss: 0.8, sparse_categorical_accuracy: 0.6 }, durationMs: 1500, examplesPerSecond: 10, clients: 2, failures: 0 },
        { round: 2, train: { loss: 0.4, sparse_categorical_accuracy: 0.75 }, durationMs: 500, examplesPerSecond: 20, clients: 2, failures: 0 },
      ],
      labelHistogram: { labels: ['0', '1'], perClient: [[3, 1], [0, 4]] },
    });
    const file = join(mkdtempSync(join(tmpdir(), 'report-')), 'report.html');
    writeFileSync(file, html);
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    const charts = await page.evaluate(() => {
      const C = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { labels: unknown[]; datasets: { label: string; data: unknown[] }[] } } | undefined } }).Chart;
      const get = (id: string) => {
        const chart = C.getChart(document.getElementById(id) as HTMLCanvasElement);
        return chart === undefined ? null : { labels: chart.data.labels, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) };
      };
      return { accuracy: get('accuracy'), loss: get('loss'), duration: get('duration'), labels: get('labels') };
    });
    await page.close();
    expect(errors).toEqual([]);
    // Only the file itself: Chart.js is inlined, nothing is fetched.
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(charts.accuracy).toEqual({
      labels: [1, 2],
      datasets: [
        { label: 'train sparse_categorical_accuracy', data: [0.5, 0.75] },
        { label: 'eval sparse_categorical_accuracy', data: [0.6, null] },
      ],
    });
    expect(charts.loss?.datasets.map((d) => d.data)).toEqual([[0.9, 0.4], [0.8, null]]);
    // 1500 ms and 500 ms in seconds.
    expect(charts.duration?.datasets[0]?.data).toEqual([1.5, 0.5]);
    expect(charts.labels).toEqual({ labels: ['client 0', 'client 1'], datasets: [{ label: '0', data: [3, 0] }, { label: '1', data: [1, 4] }] });
  });
});
