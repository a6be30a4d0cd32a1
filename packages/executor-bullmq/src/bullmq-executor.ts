import { randomUUID } from 'node:crypto';

// Types only: bullmq and ioredis are loaded by start(), so that registering the plugin (in every worker
// thread of every executor) costs nothing.
import type { ConnectionOptions, Queue, QueueEvents } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';

import {
  hasDataRef,
  isClientDataRef,
  type ClientDataRef,
  type ClientExecutor,
  type ClientTask,
  type ClientTaskOutcome,
  type EnvironmentSpec,
  type RunClientsOptions,
} from '@fedkit/core';

import { DEFAULT_PREFIX, DEFAULT_QUEUE, RunKeys, type ClientJobData, type StoredResultHeader } from './client-job.js';
import { packArrays, unpackArrays } from './packed-arrays.js';
import { RedisUnavailableError } from './redis-unavailable-error.js';
import { redactRedisUrl, redisOptions } from './redis-url.js';

/** Options of {@link BullMqExecutor}. */
export interface BullMqExecutorOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://...` (TLS). */
  readonly redis: string;
  /** How a worker builds its environment; only `options` matter to workers, which use their own install's module. */
  readonly environment: EnvironmentSpec;
  /** The BullMQ queue (default `fedkit-clients`); workers must name the same one. */
  readonly queue?: string;
  /** Prefix of every key (default `fedkit`). */
  readonly prefix?: string;
  /** How often the coordinator says it is alive (default 2,000 ms). */
  readonly heartbeatMs?: number;
  /** After this long without a heartbeat (a killed coordinator), workers drop its jobs (default 10,000 ms). */
  readonly liveTtlMs?: number;
  /** Redis unreachable this long mid-run stops the round with a {@link RedisUnavailableError} (default 10,000 ms). */
  readonly redisLostAfterMs?: number;
  /** Expiry of every per-round value, a backstop for values a killed process left behind (default 600,000 ms). */
  readonly keyTtlMs?: number;
  /** How often pending clients are checked directly, in case an event was missed (default 5,000 ms). */
  readonly reconcileMs?: number;
}

interface Pending {
  readonly task: ClientTask;
  readonly jobId: string;
  readonly start: number;
  settled: boolean;
  /** Reconcile passes that found neither a job nor a result. */
  missing: number;
}

/** How long close() waits for each connection to say goodbye before cutting it. */
const CLOSE_TIMEOUT_MS = 2000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Settles within `ms` whatever `p` does. */
async function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  await Promise.race([p.catch(() => undefined), delay(ms)]);
}

/**
 * Runs a round's clients as BullMQ jobs on Redis, one job per client, taken
 * by `fedkit-simulate worker` processes (or {@link startBullMqWorker}) on any
 * machine. The round's broadcast weights are stored once in Redis as packed
 * float32 (`<prefix>:run:<run>:w:<round>`) and every job refers to them;
 * workers cache them per round. Each worker stores its client's update as
 * packed float32 and completes its job; the completion event hands the update
 * to `onOutcome` at once (streaming aggregation). When the round ends, its
 * weights, inputs and results are deleted (and they expire anyway).
 *
 * Faults: a worker that dies mid-client loses its job lock; BullMQ's
 * stalled-job recovery gives the job to another worker (the outcome's
 * `attempts` says so, and the round's `retries` counts it). A client that
 * throws is a failed outcome and is never retried. Jobs of an old round or of
 * a coordinator that stopped heart-beating are dropped by the workers. Redis
 * unreachable at `start()`, or lost for `redisLostAfterMs` mid-round, rejects
 * with a {@link RedisUnavailableError} naming the URL without its password.
 *
 * @example
 * ```ts
 * const executor = new BullMqExecutor({ redis: 'redis://127.0.0.1:6379', environment: { module: envUrl, options: { task: 'mnist-2nn' } } });
 * await executor.start();
 * const process = buildWeightedFedAvg({ modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 }, executor });
 * // ... run rounds ...
 * await executor.close();
 * ```
 */
export class BullMqExecutor implements ClientExecutor {
  readonly name = 'bullmq';
  readonly acceptsLocalValues = false;
  /** This coordinator's run key: every Redis key and job id of the run carries it. */
  readonly runKey: string = randomUUID();
  /** The URL with its password redacted, for messages. */
  readonly url: string;
  private readonly keys: RunKeys;
  private readonly connection: RedisOptions;
  private readonly queueName: string;
  private readonly prefix: string;
  private redis: Redis | undefined;
  private queue: Queue | undefined;
  private events: QueueEvents | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly pending = new Map<string, Pending>();
  private liveRound = 0;
  private lastBeat = performance.now();
  private beating = false;
  private lastError = '';
  private fatal: Error | undefined;
  private onFatal: ((e: Error) => void) | undefined;
  private closed = false;

  constructor(private readonly options: BullMqExecutorOptions) {
    this.url = redactRedisUrl(options.redis);
    this.connection = redisOptions(options.redis);
    this.queueName = options.queue ?? DEFAULT_QUEUE;
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    this.keys = new RunKeys(this.prefix, this.runKey);
  }

  /**
   * Connects, publishes the run's environment and starts listening for job
   * events and heart-beating.
   * @throws RedisUnavailableError when Redis cannot be reached or refuses the credentials.
   */
  async start(): Promise<void> {
    const { Redis } = await import('ioredis');
    const { Queue, QueueEvents } = await import('bullmq');
    await this.probe(Redis);
    this.redis = new Redis({ ...this.connection, maxRetriesPerRequest: 1, commandTimeout: 5000 });
    this.redis.on('error', (e: Error) => {
      this.lastError = e.message;
    });
    const liveTtl = this.options.liveTtlMs ?? 10_000;
    await this.redis
      .multi()
      .set(this.keys.environment(), JSON.stringify(this.options.environment.options ?? null), 'PX', liveTtl)
      .set(this.keys.live(), '0', 'PX', liveTtl)
      .exec();
    // Events are read from the stream's current end, taken before any job of this run exists, so none is missed.
    const last = await this.redis.xrevrange(`${this.prefix}:${this.queueName}:events`, '+', '-', 'COUNT', 1);
    this.queue = new Queue(this.queueName, { connection: this.connection as ConnectionOptions, prefix: this.prefix });
    this.queue.on('error', (e: Error) => {
      this.lastError = e.message;
    });
    this.events = new QueueEvents(this.queueName, { connection: this.connection as ConnectionOptions, prefix: this.prefix, lastEventId: last[0]?.[0] ?? '0-0' });
    this.events.on('error', (e: Error) => {
      this.lastError = e.message;
    });
    this.events.on('completed', ({ jobId }) => void this.take(jobId));
    this.events.on('failed', ({ jobId, failedReason }) => this.failJob(jobId, `its job failed on the worker: ${failedReason}`));
    await this.events.waitUntilReady();
    const every = this.options.heartbeatMs ?? 2000;
    this.lastBeat = performance.now();
    let ticks = 0;
    this.heartbeat = setInterval(() => {
      ticks += 1;
      void this.beat(liveTtl);
      if ((ticks * every) % (this.options.reconcileMs ?? 5000) < every) void this.reconcile();
    }, every);
    this.heartbeat.unref();
  }

  private async probe(Redis: typeof import('ioredis').Redis): Promise<void> {
    const probe = new Redis({ ...this.connection, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 5000, enableOfflineQueue: false });
    // The first error says why (ECONNREFUSED, WRONGPASS); later ones only say that the connection closed.
    let firstError: string | undefined;
    probe.on('error', (e: Error) => {
      firstError ??= e.message;
    });
    try {
      await probe.connect();
      const info = await probe.info('server');
      const version = /redis_version:(\d+)\.(\d+)/.exec(info);
      if (version !== null && (Number(version[1]) < 6 || (Number(version[1]) === 6 && Number(version[2]) < 2))) {
        throw new RedisUnavailableError(`Redis at ${this.url} is version ${version[1]}.${version[2]}; the bullmq executor needs Redis 6.2 or later.`, this.url);
      }
    } catch (e) {
      if (e instanceof RedisUnavailableError) throw e;
      const reason = firstError ?? (e instanceof Error ? e.message : String(e));
      throw new RedisUnavailableError(
        `Cannot reach Redis at ${this.url} (${reason}). Start a Redis server there (e.g. redis-server --port 6379) or pass --redis with its URL ` +
          '(redis://user:password@host:port, or rediss:// for TLS).',
        this.url,
      );
    } finally {
      probe.disconnect();
    }
  }

  private async beat(liveTtl: number): Promise<void> {
    if (this.closed || this.redis === undefined) return;
    // Judged by the time since the last good beat: a beat may hang, not fail, while ioredis reconnects.
    const lostMs = performance.now() - this.lastBeat;
    if (lostMs >= (this.options.redisLostAfterMs ?? 10_000)) {
      this.setFatal(new RedisUnavailableError(`Lost the connection to Redis at ${this.url} for ${(lostMs / 1000).toFixed(0)} s (${this.lastError || 'no answer'}); stopping the run.`, this.url));
      return;
    }
    if (this.beating) return;
    this.beating = true;
    try {
      await this.redis.multi().set(this.keys.live(), String(this.liveRound), 'PX', liveTtl).pexpire(this.keys.environment(), liveTtl).exec();
      this.lastBeat = performance.now();
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
    } finally {
      this.beating = false;
    }
  }

  private setFatal(e: Error): void {
    if (this.fatal !== undefined) return;
    this.fatal = e;
    this.onFatal?.(e);
  }

  /** Reads a finished client's stored result and reports it. */
  private async take(jobId: string): Promise<void> {
    const p = this.pending.get(jobId);
    if (p === undefined || p.settled || this.redis === undefined) return;
    const key = this.keys.result(p.task.round, p.task.clientIndex);
    let value: Buffer | null;
    try {
      value = await this.redis.getdelBuffer(key);
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      return; // The next reconcile pass tries again.
    }
    // The worker dropped the job (it judged it stale) or its result expired: the client ran nowhere.
    if (value === null) return this.failJob(jobId, 'its job completed without a stored result (dropped by a worker as stale)');
    this.settle(p, decodeOutcome(value, p.task));
  }

  private failJob(jobId: string, why: string): void {
    const p = this.pending.get(jobId);
    if (p === undefined || p.settled) return;
    const label = `client ${p.task.clientId ?? p.task.clientIndex}`;
    this.settle(p, { clientIndex: p.task.clientIndex, ok: false, error: `${label}: ${why}`, numExamples: 0, numBatches: 0, ms: performance.now() - p.start });
  }

  private settle(p: Pending, outcome: ClientTaskOutcome): void {
    if (p.settled) return;
    p.settled = true;
    this.pending.delete(p.jobId);
    this.onOutcome?.(outcome);
  }

  private onOutcome: ((o: ClientTaskOutcome) => void) | undefined;

  /** A backstop for missed events: a pending client whose result is stored is taken; one whose job vanished fails. */
  private async reconcile(): Promise<void> {
    if (this.closed || this.redis === undefined || this.queue === undefined || this.pending.size === 0) return;
    try {
      const list = [...this.pending.values()];
      const pipe = this.redis.pipeline();
      for (const p of list) pipe.exists(this.keys.result(p.task.round, p.task.clientIndex));
      const found = (await pipe.exec()) ?? [];
      for (let i = 0; i < list.length; i++) {
        const p = list[i]!;
        if (p.settled) continue;
        if (found[i]?.[1] === 1) {
          await this.take(p.jobId);
          continue;
        }
        const state = await this.queue.getJobState(p.jobId);
        p.missing = state === 'unknown' ? p.missing + 1 : 0;
        if (p.missing >= 2) this.failJob(p.jobId, 'its job vanished from the queue without a result');
      }
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
    }
  }

  async runClients(tasks: readonly ClientTask[], options: RunClientsOptions = {}): Promise<ClientTaskOutcome[]> {
    if (this.redis === undefined || this.queue === undefined) throw new Error('BullMqExecutor.start() must be awaited before runClients.');
    if (this.fatal !== undefined) throw this.fatal;
    const refs = tasks.map((t) => checkTransportable(t));
    if (tasks.length === 0) return [];
    const round = tasks[0]!.round;
    const kept: ClientTaskOutcome[] = [];
    const { signal } = options;
    signal?.throwIfAborted();
    const keyTtl = this.options.keyTtlMs ?? 600_000;
    const liveTtl = this.options.liveTtlMs ?? 10_000;
    let remaining = tasks.length;
    let finish!: () => void;
    let fail!: (e: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    this.onOutcome = (o) => {
      if (options.onOutcome === undefined) kept.push(o);
      else options.onOutcome(o);
      remaining -= 1;
      if (remaining === 0) finish();
    };
    this.onFatal = fail;
    const onAbort = (): void => fail(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const jobIds = tasks.map((t) => this.keys.jobId(round, t.clientIndex));
    try {
      const w = tasks[0]!.weights;
      this.liveRound = round;
      // The weights travel once per round; every job refers to them by round.
      const setup = this.redis
        .multi()
        .set(this.keys.live(), String(round), 'PX', liveTtl)
        .set(this.keys.weights(round), packArrays(null, [...w.trainable, ...w.nonTrainable]), 'PX', keyTtl);
      for (const t of tasks) {
        if (t.inputs !== undefined) setup.set(this.keys.inputs(round, t.clientIndex), packArrays(Object.entries(t.inputs).map(([k, v]) => [k, v.length]), Object.values(t.inputs).flat()), 'PX', keyTtl);
      }
      const jobs = tasks.map((t, i) => {
        const data: ClientJobData = {
          run: this.runKey,
          round,
          clientIndex: t.clientIndex,
          ...(t.clientId === undefined ? {} : { clientId: t.clientId }),
          update: t.update,
          ...(t.optimizer === undefined || typeof t.optimizer === 'function' ? {} : { optimizer: t.optimizer }),
          data: refs[i]!,
          trainableShapes: w.trainableShapes,
          nonTrainableShapes: w.nonTrainableShapes,
          ...(t.inputs === undefined ? {} : { inputs: Object.keys(t.inputs) }),
          ...(options.clientTimeoutMs === undefined ? {} : { timeoutMs: options.clientTimeoutMs }),
        };
        this.pending.set(jobIds[i]!, { task: t, jobId: jobIds[i]!, start: performance.now(), settled: false, missing: 0 });
        // attempts: 1 — a client that throws is a failure, never retried; only stalled-job recovery re-runs a client.
        return { name: 'client', data, opts: { jobId: jobIds[i]!, attempts: 1, removeOnComplete: true, removeOnFail: true } };
      });
      await Promise.race([setup.exec(), done]);
      for (let i = 0; i < jobs.length; i += 500) await Promise.race([this.queue.addBulk(jobs.slice(i, i + 500)), done]);
      await done;
    } catch (e) {
      if (signal?.aborted === true) throw signal.reason;
      if (e instanceof RedisUnavailableError) throw e;
      throw new RedisUnavailableError(`Redis at ${this.url} failed during round ${round}: ${e instanceof Error ? e.message : String(e)}`, this.url);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.onOutcome = undefined;
      this.onFatal = undefined;
      for (const id of jobIds) this.pending.delete(id);
      await this.endRound(round, tasks, jobIds, remaining > 0);
    }
    return kept;
  }

  /** Deletes the round's values; after an interrupted round, also its jobs still waiting. */
  private async endRound(round: number, tasks: readonly ClientTask[], jobIds: readonly string[], interrupted: boolean): Promise<void> {
    if (this.redis === undefined || this.fatal !== undefined) return;
    const keys = [this.keys.weights(round), ...tasks.flatMap((t) => [this.keys.inputs(round, t.clientIndex), this.keys.result(round, t.clientIndex)])];
    const work = async (): Promise<void> => {
      if (interrupted) {
        // Workers drop jobs of a round that is not live any more.
        this.liveRound = -round;
        await this.redis!.set(this.keys.live(), String(-round), 'PX', this.options.liveTtlMs ?? 10_000);
        for (const id of jobIds) await this.queue!.remove(id).catch(() => 0);
      }
      for (let i = 0; i < keys.length; i += 1000) await this.redis!.unlink(...keys.slice(i, i + 1000));
    };
    await bounded(work(), 5000);
  }

  /** Stops heart-beating, deletes the run's keys (workers then drop its jobs) and closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    const redis = this.redis;
    if (this.fatal === undefined) {
      if (redis !== undefined) await bounded(redis.unlink(this.keys.live(), this.keys.environment()), CLOSE_TIMEOUT_MS);
      await bounded(this.events?.close() ?? Promise.resolve(), CLOSE_TIMEOUT_MS);
      await bounded(this.queue?.close() ?? Promise.resolve(), CLOSE_TIMEOUT_MS);
      if (redis !== undefined) await bounded(redis.quit(), CLOSE_TIMEOUT_MS);
    }
    redis?.disconnect();
    // Without a server, closing waits for replies that never come: then the sockets are cut.
    await bounded(this.events?.disconnect() ?? Promise.resolve(), CLOSE_TIMEOUT_MS);
    await bounded(this.queue?.disconnect() ?? Promise.resolve(), CLOSE_TIMEOUT_MS);
  }
}

function checkTransportable(t: ClientTask): ClientDataRef {
  if (typeof t.optimizer === 'function') {
    throw new TypeError(
      `Client ${t.clientId ?? t.clientIndex}'s optimizer is a function, which cannot travel to another machine; ` +
        "give the algorithm a plain config instead, e.g. clientOptimizer: { name: 'sgd', learningRate: 0.1 }.",
    );
  }
  if (isClientDataRef(t.data)) return t.data;
  if (hasDataRef(t.data)) return t.data.toDataRef();
  throw new TypeError(
    `Client ${t.clientId ?? t.clientIndex}'s dataset cannot be sent to another machine; give the round datasets with toDataRef() ` +
      '(e.g. ClientBatches from @fedkit/datasets), which the workers resolve over the task data they load themselves.',
  );
}

/** The outcome a worker stored, rebuilt with its arrays. */
export function decodeOutcome(value: Uint8Array, task: Pick<ClientTask, 'weights'>): ClientTaskOutcome {
  const { header, arrays } = unpackArrays<StoredResultHeader>(value);
  const attempts = header.attempt;
  const o = header.outcome;
  if (!o.ok) return { ...o, attempts };
  const n = task.weights.trainable.length;
  const { outputNames, outputCounts, ...result } = o.result;
  const outputs: Record<string, Float32Array[]> = {};
  let at = n;
  (outputNames ?? []).forEach((name, i) => {
    outputs[name] = arrays.slice(at, at + outputCounts![i]!);
    at += outputCounts![i]!;
  });
  return { ...o, attempts, result: { ...result, update: arrays.slice(0, n), ...(outputNames === undefined ? {} : { outputs }) } };
}
