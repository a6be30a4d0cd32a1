import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { connectClient, type ClientEvent } from '@fedkit/client';
import { createFedkitContainer, selectRuntime } from '@fedkit/core';
import { registerWasmRuntime } from '@fedkit/runtime-wasm';
import { afterEach, describe, expect, it } from 'vitest';

import { mnistClientData } from './mnist-client-data.js';
import { until } from './testing/start-federation.js';
import { TokenAuthority } from './token-authority.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const SECRET = 'restart-secret-0123456789abcdef';

/** Starts `fedkit-server` as its own process; resolves with it and the port it printed. */
async function startServer(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, FEDKIT_SERVER_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fedkit-server exited with ${code} before listening`)));
    lines.on('line', (l) => {
      const m = JSON.parse(l) as { port?: number };
      if (m.port !== undefined) resolve(m.port);
    });
  });
  return { child, port };
}

function events(out: string): Record<string, unknown>[] {
  const file = join(out, 'metrics.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
}

describe('fedkit-server killed and restarted', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('resumes from the last checkpoint after SIGKILL; clients reconnect and the run completes', async () => {
    // Arrange: a server process and 2 in-process clients (wasm, as fedkit-client runs) that reconnect quickly.
    await selectRuntime(registerWasmRuntime(createFedkitContainer()), 'wasm');
    const out = mkdtempSync(join(tmpdir(), 'fedkit-restart-'));
    const common = ['--name', 'mnist', '--rounds', '4', '--clients-per-round', '2', '--min-clients', '2', '--over-selection', '0', '--selection-window', '1', '--out', out, '--runtime', 'wasm'];
    const first = await startServer([...common, '--port', '0']);
    children.push(first.child);
    const authority = new TokenAuthority(SECRET);
    const seen: ClientEvent[] = [];
    const clients = [0, 1].map((part) =>
      connectClient({
        url: `ws://127.0.0.1:${first.port}/federations/mnist`,
        token: authority.issue({ client: `node-${part}`, federation: 'mnist', exp: 0 }),
        data: mnistClientData({ part, parts: 2, examples: 200, batchSize: 10, epochs: 1 }).data,
        backoff: { initialMs: 100, maxMs: 500 },
        onEvent: (e) => seen.push(e),
      }),
    );
    const running = clients.map((c) => c.run());

    // Act: SIGKILL once round 2's checkpoint is written and round 3 has started, then restart with --resume on the same port.
    await until(() => events(out).some((e) => e['kind'] === 'round-started' && e['round'] === 3));
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const lastCheckpoint = Math.max(...events(out).filter((e) => e['kind'] === 'checkpoint-saved').map((e) => e['round'] as number));
    const second = await startServer([...common, '--port', String(first.port), '--resume']);
    children.push(second.child);
    await Promise.all(running);
    const exit = await new Promise<number | null>((r) => second.child.once('exit', r));

    // Assert
    expect(exit).toBe(0);
    const all = events(out);
    expect(lastCheckpoint).toBeGreaterThanOrEqual(2);
    expect(all.find((e) => e['kind'] === 'resumed')?.['round']).toBe(lastCheckpoint);
    expect(all.filter((e) => e['kind'] === 'round-finished').map((e) => e['round'])).toEqual([1, 2, 3, 4]);
    expect(all.some((e) => e['kind'] === 'checkpoint-saved' && e['round'] === 4)).toBe(true);
    expect(seen.filter((e) => e.kind === 'disconnected').length).toBeGreaterThanOrEqual(2);
    expect(seen.filter((e) => e.kind === 'done').length).toBe(2);
    clients.forEach((c) => c.dispose());
  }, 240_000);
});
