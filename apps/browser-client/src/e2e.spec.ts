import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { connectClient, type ClientEvent } from '@fedkit/client';
import { buildFederation, DEFAULT_FEDERATION, FedkitServer, mnistClientData, TokenAuthority } from '@fedkit/server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';

import { encodePartition } from './partition-file.js';

const CHROMIUM = '/usr/bin/chromium';
const browserMissing = !existsSync(CHROMIUM);
if (browserMissing && process.env['CI']) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser end-to-end test.`);

const WWW = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'www');
const CLIENTS = 5;
const EXAMPLES = 250;

describe.skipIf(browserMissing)('a federation of 3 chromium pages and 2 Node clients', () => {
  let browser: Browser | undefined;
  let server: FedkitServer | undefined;
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('trains MNIST past 80% with 5 clients a round, and a page closed mid-round does not stall the rounds', async () => {
    // Arrange: each client's own IID part of MNIST's training split; the pages fetch theirs as a file.
    const www = mkdtempSync(join(tmpdir(), 'fedkit-www-'));
    for (const f of readdirSync(WWW)) copyFileSync(join(WWW, f), join(www, f));
    const parts = Array.from({ length: CLIENTS }, (_, part) => mnistClientData({ part, parts: CLIENTS, examples: EXAMPLES, batchSize: 10, epochs: 1 }));
    for (const [i, p] of parts.slice(0, 3).entries()) {
      const x = new Float32Array(p.indices.length * 784);
      p.indices.forEach((r, k) => x.set(p.train.x.subarray(r * 784, (r + 1) * 784), k * 784));
      writeFileSync(join(www, `part${i}.bin`), encodePartition({ x, y: Int32Array.from(p.indices, (r) => p.train.y[r]!), numExamples: p.indices.length, exampleSize: 784 }));
    }
    const out = mkdtempSync(join(tmpdir(), 'fedkit-e2e-'));
    mkdirSync(out, { recursive: true });
    const authority = new TokenAuthority('e2e-secret-0123456789abcdef');
    const federation = await buildFederation(
      { ...DEFAULT_FEDERATION, name: 'mnist', out, rounds: 7, clientsPerRound: 5, minClients: 3, overSelection: 0.2, roundDeadline: 120, selectionWindow: 2, runtime: 'auto' },
      authority,
    );
    server = new FedkitServer({ federations: [federation], port: 0, staticDir: www });
    const { url, wsUrl } = await server.listen();
    const token = (client: string): string => authority.issue({ client, federation: 'mnist', exp: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    const pages: Page[] = [];
    let closedMidRound = false;
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      if (i === 0) {
        // Page 0 is closed mid-round 6: its round-6 update (the one large frame after that task) is held back, and the page closed.
        await page.addInitScript(() => {
          const send = WebSocket.prototype.send;
          WebSocket.prototype.send = function (this: WebSocket, data: ArrayBufferLike | ArrayBufferView | Blob | string) {
            const events = (globalThis as unknown as { fedkitEvents?: { kind: string; round?: number }[] }).fedkitEvents ?? [];
            if (events.some((e) => e.kind === 'task' && e.round === 6) && typeof data !== 'string' && 'byteLength' in data && data.byteLength > 100_000) {
              console.log('fedkit-test: round-6 update held back');
              return;
            }
            send.call(this, data);
          };
        });
        page.on('console', (m) => {
          if (m.text() === 'fedkit-test: round-6 update held back') {
            closedMidRound = true;
            void page.close();
          }
        });
      }
      await page.goto(`${url}/app/index.html?federation=mnist&backend=wasm&data=part${i}.bin&token=${encodeURIComponent(token(`page-${i}`))}`);
      pages.push(page);
    }
    const nodeEvents: ClientEvent[] = [];
    const nodeClients = [3, 4].map((part) => connectClient({ url: `${wsUrl}/federations/mnist`, token: token(`node-${part}`), data: parts[part]!.data, onEvent: (e) => nodeEvents.push(e) }));
    const nodeRuns = nodeClients.map((c) => c.run());
    while (federation.status().clients.length < CLIENTS) await new Promise((r) => setTimeout(r, 50));

    // Act
    const run = federation.run();
    const pageEvents = (p: Page): Promise<ClientEvent[]> => p.evaluate(() => (globalThis as unknown as { fedkitEvents: ClientEvent[] }).fedkitEvents);
    const summary = await run;
    await Promise.all(nodeRuns);

    // Assert
    expect(summary.roundsCompleted).toBe(7);
    expect(closedMidRound).toBe(true);
    const events = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const finished = events.filter((e) => e['kind'] === 'round-finished');
    expect(finished.map((e) => e['clients'])).toEqual([5, 5, 5, 5, 5, 4, 4]);
    const accuracy = events.filter((e) => e['kind'] === 'evaluated').map((e) => (e['centralized'] as Record<string, number>)['sparse_categorical_accuracy']!);
    expect(accuracy[4]).toBeGreaterThan(0.8);
    expect(accuracy[6]).toBeGreaterThan(0.8);
    expect(events.some((e) => e['kind'] === 'round-failed')).toBe(false);
    // The browser pages trained and saw the global accuracy.
    const seen = await pageEvents(pages[1]!);
    expect(seen.filter((e) => e.kind === 'update-sent').length).toBe(7);
    expect(seen.some((e) => e.kind === 'status' && e.round === 7 && (e.eval?.['sparse_categorical_accuracy'] ?? 0) > 0.8)).toBe(true);
    expect(nodeEvents.filter((e) => e.kind === 'done').length).toBe(2);
    nodeClients.forEach((c) => c.dispose());
  }, 240_000);
});
