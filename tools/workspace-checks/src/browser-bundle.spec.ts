import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
// As in apps/simulator's report test: skipped without Debian's chromium, a failure in CI (.ci/run installs it).
const browserMissing = !existsSync(CHROMIUM);
if (browserMissing && process.env['CI']) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).`);

interface RoundResult {
  backend: string;
  runtime: string;
  losses: number[];
  kernelAfterRound1: number[];
  partition: number[][];
  secureRandom: number;
}

describe.skipIf(browserMissing)('a browser bundle of the browser-safe packages in chromium', () => {
  let browser: Browser;
  let bundle: string;
  beforeAll(async () => {
    // Bundled for the browser platform: a Node-only import anywhere (node:fs, worker_threads) fails the build.
    const out = await build({
      entryPoints: [resolve(here, '../browser/fedavg-round.mjs')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      write: false,
      logLevel: 'silent',
    });
    bundle = out.outputFiles[0]!.text;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // WebGL without a GPU: chromium's software rasterizer (SwiftShader).
      args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('has no process, fs or worker_threads reference from fedkit code', () => {
    // esbuild marks each bundled file with a path comment; fedkit's own files must not use Node globals.
    const fedkitSections = bundle.split(/\n  \/\/ /).filter((s) => /^\.\.\/\.\.\/packages\//.test(s));
    expect(fedkitSections.length).toBeGreaterThan(20);
    // (`process` alone is a fine local name: the learning processes are called that.)
    const nodeOnly = /\bprocess\.(env|emitWarning|versions|cwd|on|exit|argv|platform|hrtime|memoryUsage)\b|"node:|worker_threads/;
    for (const section of fedkitSections) expect(section, section.split('\n')[0]).not.toMatch(nodeOnly);
  });

  it('runs two FedAvg rounds on webgl, the runtime fedkit picks in a browser', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('about:blank');
    await page.addScriptTag({ content: bundle });
    const r = await page.evaluate(() => (window as unknown as { runFedAvgRound(): Promise<RoundResult> }).runFedAvgRound());
    await page.close();
    expect(errors).toEqual([]);
    expect(r.runtime).toBe('webgl');
    expect(r.backend).toBe('webgl');
    expect(r.secureRandom).toBe(2);
    // Round 1 starts from zeros: every example's loss is y^2, and each client's only batch is
    // trained once, so the mean is (3 * 25 + 3 * 36) / 6 = 30.5 whatever the partition.
    expect(r.losses[0]).toBeCloseTo(30.5, 3);
    expect(r.losses[1]).toBeLessThan(r.losses[0]!);
    // One SGD step from zeros on a client's 2 examples: w = lr * (2 / 2) * sum(y * x); the server takes
    // the coordinate-wise median over the 3 clients.
    const xs = [[1, 2], [3, 4]];
    const perClient = r.partition.map((idx) =>
      [0, 1].map((j) => idx.reduce((sum, i) => sum + 0.01 * (i % 2 === 0 ? 5 : 6) * xs[i % 2]![j]!, 0)),
    );
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[1]!;
    expect(r.partition.map((p) => p.length)).toEqual([2, 2, 2]);
    expect(r.kernelAfterRound1[0]).toBeCloseTo(median(perClient.map((w) => w[0]!)), 4);
    expect(r.kernelAfterRound1[1]).toBeCloseTo(median(perClient.map((w) => w[1]!)), 4);
  });
});
