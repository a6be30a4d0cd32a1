import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DashboardServer } from './dashboard-server.js';
import type { RoundRecord } from './metrics-log.js';
import type { ReportData } from './report-html.js';
import { readEventFile } from './tensorboard-writer.js';

const CHROMIUM = '/usr/bin/chromium';
const browserMissing = !existsSync(CHROMIUM);
if (browserMissing && process.env['CI']) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to test the dashboard.`);

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TINY = fileURLToPath(new URL('../fixtures/tiny-task.mjs', import.meta.url));

function round(n: number): RoundRecord {
  return { round: n, train: { loss: 1 / n, accuracy: 0.5 }, durationMs: 100, examplesPerSecond: 10, clients: 2, failures: 0 };
}

/** GETs `path` with a Host header; resolves with the status and the body (the whole of it, or of an event stream so far). */
function get(url: string, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(new URL(path, url), { headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Opens `/events`; `views(n)` resolves once n `view` events have arrived, with their data. */
function events(url: string): { views(n: number): Promise<{ rounds: RoundRecord[]; headline: { figure: string } }[]>; close(): void } {
  let body = '';
  const waiting: (() => void)[] = [];
  const req = request(new URL('/events', url), (res) => {
    res.on('data', (d: Buffer) => {
      body += d.toString();
      for (const w of waiting.splice(0)) w();
    });
  });
  req.on('error', () => undefined);
  req.end();
  const parsed = () => [...body.matchAll(/event: view\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!));
  return {
    views: (n) =>
      new Promise((resolve) => {
        const check = () => (parsed().length >= n ? resolve(parsed()) : waiting.push(check));
        check();
      }),
    close: () => req.destroy(),
  };
}

describe('DashboardServer', () => {
  it('streams the run as Server-Sent Events: the whole view on connect, again on each publish', async () => {
    const rounds = [round(1)];
    const data = (): ReportData => ({ title: 't', summary: {}, rounds: [...rounds], status: { state: 'running', plannedRounds: 5 } });
    const dashboard = await DashboardServer.start({ port: 0, data });
    try {
      expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const stream = events(dashboard.url);
      const [first] = await stream.views(1);
      expect(first!.rounds.map((r) => r.round)).toEqual([1]);
      expect(first!.headline.figure).toBe('50.00%');
      rounds.push(round(2));
      dashboard.publishView();
      const [, second] = await stream.views(2);
      expect(second!.rounds.map((r) => r.round)).toEqual([1, 2]);
      stream.close();
    } finally {
      await dashboard.close();
    }
  });

  it('serves the report page at / and 404 elsewhere', async () => {
    const dashboard = await DashboardServer.start({ port: 0, data: () => ({ title: 'live run', summary: {}, rounds: [] }) });
    try {
      const host = new URL(dashboard.url).host;
      const page = await get(dashboard.url, '/', host);
      expect(page.status).toBe(200);
      expect(page.body).toContain('new EventSource("/events")');
      expect((await get(dashboard.url, '/other', host)).status).toBe(404);
    } finally {
      await dashboard.close();
    }
  });

  it('on loopback, refuses a request whose Host header names another machine (DNS rebinding)', async () => {
    const dashboard = await DashboardServer.start({ port: 0, data: () => ({ title: 't', summary: {}, rounds: [] }) });
    try {
      expect((await get(dashboard.url, '/', 'attacker.example:80')).status).toBe(403);
    } finally {
      await dashboard.close();
    }
  });

  it('says which port is taken and what to pass instead', async () => {
    const a = await DashboardServer.start({ port: 0, data: () => ({ title: 't', summary: {}, rounds: [] }) });
    const port = Number(new URL(a.url).port);
    try {
      await expect(DashboardServer.start({ port, data: () => ({ title: 't', summary: {}, rounds: [] }) })).rejects.toThrow(
        new RegExp(`port ${port} is in use on 127\\.0\\.0\\.1\\. Pass another port \\(--dashboard ${port + 1}\\), or --dashboard 0 for a free one`),
      );
    } finally {
      await a.close();
    }
  });
});

describe.skipIf(browserMissing)('fedkit-simulate --dashboard in headless chromium', () => {
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

  it('shows new rounds as they arrive, while report.html and the TensorBoard file are written during the run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cli-dashboard-'));
    const tb = join(out, 'tb');
    const child = spawn(
      process.execPath,
      [CLI, '--task', TINY, '--clients', '8', '--clients-per-round', '4', '--batch-size', '5', '--workers', '0', '--runtime', 'cpu',
        '--rounds', '2000', '--checkpoint-every', '1000', '--out', out, '--dashboard', '0', '--tensorboard', tb],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          const m = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
          if (m !== null) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error(`the run ended before it printed the dashboard's address:\n${stdout}`)));
      });
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      const trainPoints = () =>
        page.evaluate(() => {
          const C = (window as unknown as { Chart: { getChart(c: unknown): { data: { datasets: { data: unknown[] }[] } } | undefined } }).Chart;
          return C.getChart(document.getElementById('accuracy'))?.data.datasets[0]?.data.length ?? 0;
        });
      await page.waitForFunction(() => (window as unknown as { fedkitViews: number }).fedkitViews >= 1, undefined, { timeout: 60_000 });
      const before = await trainPoints();
      // New rounds arrive over the event stream, without reloading the page.
      await page.waitForFunction(
        (n) => {
          const C = (window as unknown as { Chart: { getChart(c: unknown): { data: { datasets: { data: unknown[] }[] } } | undefined } }).Chart;
          return (C.getChart(document.getElementById('accuracy'))?.data.datasets[0]?.data.length ?? 0) >= n + 2;
        },
        before,
        { timeout: 60_000 },
      );
      const status = await page.evaluate(() => document.getElementById('status')!.textContent);
      expect(status).toMatch(/^running: round \d+ of 2000 done$/);
      expect(errors).toEqual([]);
      await page.close();

      // report.html is rewritten during the run (not only at the end) and says it is running.
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      const data = JSON.parse(/<script id="report-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!);
      expect(data.status).toEqual({ state: 'running', plannedRounds: 2000 });
      expect(data.rounds.length).toBeGreaterThanOrEqual(1);
      // The TensorBoard file holds the version event, then round 1's training scalars.
      const [file] = readdirSync(tb);
      const events = await readEventFile(join(tb, file!));
      expect(events[0]?.fileVersion).toBe('brain.Event:2');
      expect(events[1]?.step).toBe(1);
      expect(events[1]?.scalars?.map((s) => s.tag)).toContain('train/loss');
    } finally {
      child.kill('SIGINT');
      // Ctrl-C: a final checkpoint, then 130.
      expect(await exited).toBe(130);
    }
  }, 240_000);
});
