import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** The server binary (default `redis-server` on PATH; Debian installs /usr/bin/redis-server). */
  readonly binary?: string;
  /** Require this password (`requirepass`); the URL then carries it. */
  readonly password?: string;
  /** The port (default: a free one). */
  readonly port?: number;
  /** How long to wait for "Ready to accept connections" (default 20,000 ms). */
  readonly timeoutMs?: number;
}

/** A private Redis server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` (with `:password@` when one is required). */
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Stops the server (SIGKILL when `kill`: the abrupt loss a fault test wants) and deletes its directory. */
  stop(options?: { kill?: boolean }): Promise<void>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a throw-away `redis-server` on a free loopback port, in a temporary
 * directory, keeping nothing on disk: for tests, benchmarks and trying the
 * bullmq executor on one machine.
 * @throws Error when the binary is missing or the server does not become ready.
 * @example
 * ```ts
 * const redis = await startRedisServer();
 * try { await runWith(redis.url); } finally { await redis.stop(); }
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'fedkit-redis-'));
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', ''];
  if (options.password !== undefined) args.push('--requirepass', options.password);
  const child = spawn(options.binary ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not become ready on port ${port} within ${options.timeoutMs ?? 20_000} ms:\n${output}`)), options.timeoutMs ?? 20_000);
      const onData = (d: Buffer): void => {
        output += d.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`Cannot start ${options.binary ?? 'redis-server'} (${e.message}); install it (apt-get install redis-server).`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with code ${code} before it was ready:\n${output}`));
      });
    });
  } catch (e) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  child.stdout.resume();
  child.stderr.resume();
  return {
    url: `redis://${options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`}127.0.0.1:${port}`,
    port,
    process: child,
    async stop({ kill = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill(kill ? 'SIGKILL' : 'SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
