import { hostname } from 'node:os';

// Types only: bullmq and ioredis load when a worker starts (see bullmq-executor.ts).
import type { ConnectionOptions, Job } from 'bullmq';

import type { ClientExecutor, ClientTask, ClientTaskOutcome, EnvironmentSpec, ModelWeightArrays } from '@fedkit/core';

import { DEFAULT_PREFIX, DEFAULT_QUEUE, RunKeys, type ClientJobData, type StoredResultHeader } from './client-job.js';
import { packArrays, unpackArrays } from './packed-arrays.js';
import { RedisUnavailableError } from './redis-unavailable-error.js';
import { redactRedisUrl, redisOptions } from './redis-url.js';

/** A client executor a worker process runs jobs on, with a way to stop it. */
export type ClosableExecutor = ClientExecutor & { close(): Promise<void> };

/** Options of {@link startBullMqWorker}. */
export interface BullMqWorkerOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://...`. */
  readonly redis: string;
  /** Clients this process runs at once (default 1); the executor should have as many threads. */
  readonly concurrency?: number;
  /**
   * Jobs taken beyond `concurrency` (default 0), which wait in the executor's queue: the next client's
   * job is fetched while one trains, which hides the round trips to Redis. A killed worker's prefetched
   * jobs are recovered like its running ones.
   */
  readonly prefetch?: number;
  /**
   * Builds the executor for a run's environment (e.g. a worker-thread pool
   * over a module that loads the task): called once per distinct environment,
   * so the model is built once per process, not per job.
   */
  readonly executorFor: (environment: EnvironmentSpec['options']) => Promise<ClosableExecutor>;
  readonly queue?: string;
  readonly prefix?: string;
  /**
   * How long a job's lock lasts without renewal (default 8,000 ms): a worker
   * killed mid-client frees its job this long after its last renewal.
   */
  readonly lockDurationMs?: number;
  /** How often this worker looks for stalled jobs of dead workers (default 4,000 ms). */
  readonly stalledIntervalMs?: number;
  /** A job stalled more often than this fails instead of running again (default 2). */
  readonly maxStalledCount?: number;
  /** Expiry of the results it stores (default 600,000 ms; the coordinator deletes them sooner). */
  readonly keyTtlMs?: number;
  /** One line per event (job started, dropped, finished); default none. */
  readonly log?: (line: string) => void;
}

/** A running worker. */
export interface BullMqWorkerHandle {
  /** Stops taking jobs, waits for the running ones, and frees the executors. */
  close(): Promise<void>;
}

/**
 * Runs client jobs of {@link BullMqExecutor} coordinators in this process
 * until closed: for each job it checks that the job's run is alive and still
 * on the job's round (else drops it), fetches the round's weights once (then
 * caches them), builds the run's executor once (`executorFor`), runs the task
 * — through `runClientTask`, as every executor does — and stores the outcome
 * as packed float32 for the coordinator. A client that throws is a failed
 * outcome, stored like any other (no retry).
 *
 * @throws RedisUnavailableError when Redis cannot be reached at start.
 * @example
 * ```ts
 * const worker = await startBullMqWorker({
 *   redis: 'redis://127.0.0.1:6379',
 *   executorFor: async (options) => { const pool = new WorkerPoolExecutor({ environment: { module: envUrl, options }, numWorkers: 1 }); await pool.start(); return pool; },
 * });
 * ```
 */
export async function startBullMqWorker(options: BullMqWorkerOptions): Promise<BullMqWorkerHandle> {
  const url = redactRedisUrl(options.redis);
  const connection = redisOptions(options.redis);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const log = options.log ?? (() => undefined);
  const keyTtl = options.keyTtlMs ?? 600_000;
  const { Redis } = await import('ioredis');
  const { Worker } = await import('bullmq');
  const redis = new Redis({ ...connection, maxRetriesPerRequest: 3, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new RedisUnavailableError(`Cannot reach Redis at ${url} (${e instanceof Error ? e.message : String(e)}). Start a Redis server there or pass --redis with its URL.`, url);
  }
  const me = `${hostname()}:${process.pid}`;
  // One executor per distinct environment (runs with the same task share it); a few at most.
  const executors = new Map<string, Promise<ClosableExecutor>>();
  const weights = new Map<string, Promise<ModelWeightArrays>>();

  const executorOf = (json: string): Promise<ClosableExecutor> => {
    let e = executors.get(json);
    if (e === undefined) {
      e = options.executorFor(JSON.parse(json) as unknown);
      executors.set(json, e);
      e.catch(() => executors.delete(json));
      if (executors.size > 2) {
        const [oldest] = executors.keys();
        const old = executors.get(oldest!)!;
        executors.delete(oldest!);
        void old.then((x) => x.close()).catch(() => undefined);
      }
    }
    return e;
  };

  const weightsOf = (keys: RunKeys, data: ClientJobData): Promise<ModelWeightArrays> => {
    const id = `${data.run}:${data.round}`;
    let w = weights.get(id);
    if (w === undefined) {
      w = (async () => {
        const value = await redis.getBuffer(keys.weights(data.round));
        if (value === null) throw new Error(`the weights of round ${data.round} are not in Redis (the round ended or expired)`);
        const { arrays } = unpackArrays<null>(value);
        const n = data.trainableShapes.length;
        return { trainable: arrays.slice(0, n), nonTrainable: arrays.slice(n), trainableShapes: data.trainableShapes, nonTrainableShapes: data.nonTrainableShapes };
      })();
      weights.set(id, w);
      w.catch(() => weights.delete(id));
      // Only the latest rounds are kept: a round's weights are useless once it ends.
      for (const old of [...weights.keys()].slice(0, -2)) weights.delete(old);
    }
    return w;
  };

  const processJob = async (job: Job<ClientJobData>): Promise<string> => {
    const data = job.data;
    const keys = new RunKeys(prefix, data.run);
    const label = `round ${data.round} client ${data.clientId ?? data.clientIndex}`;
    const [live, env] = await redis.mget(keys.live(), keys.environment());
    if (live !== String(data.round) || env === null || env === undefined) {
      log(`dropped ${label} (run ${data.run}): ${live === null ? 'its coordinator is gone' : `the run is on round ${live}`}`);
      return 'dropped';
    }
    log(`started ${label} (attempt ${job.attemptsStarted})`);
    const [executor, w] = await Promise.all([executorOf(env), weightsOf(keys, data)]);
    let inputs: Record<string, Float32Array[]> | undefined;
    if (data.inputs !== undefined) {
      const value = await redis.getBuffer(keys.inputs(data.round, data.clientIndex));
      if (value === null) throw new Error(`the inputs of ${label} are not in Redis`);
      const { header, arrays } = unpackArrays<[string, number][]>(value);
      inputs = {};
      let at = 0;
      for (const [name, count] of header) {
        inputs[name] = arrays.slice(at, at + count);
        at += count;
      }
    }
    const task: ClientTask = {
      clientIndex: data.clientIndex,
      ...(data.clientId === undefined ? {} : { clientId: data.clientId }),
      round: data.round,
      weights: w,
      update: data.update,
      ...(data.optimizer === undefined ? {} : { optimizer: data.optimizer }),
      data: data.data,
      ...(inputs === undefined ? {} : { inputs }),
    };
    const [outcome] = await executor.runClients([task], data.timeoutMs === undefined ? {} : { clientTimeoutMs: data.timeoutMs });
    await redis.set(keys.result(data.round, data.clientIndex), encodeOutcome(outcome!, job.attemptsStarted, me), 'PX', keyTtl);
    log(`finished ${label}: ${outcome!.ok ? `${outcome!.result.numExamples} examples` : outcome!.error}`);
    return 'stored';
  };

  const worker = new Worker<ClientJobData, string>(options.queue ?? DEFAULT_QUEUE, processJob, {
    connection: connection as ConnectionOptions,
    prefix,
    concurrency: (options.concurrency ?? 1) + (options.prefetch ?? 0),
    lockDuration: options.lockDurationMs ?? 8000,
    stalledInterval: options.stalledIntervalMs ?? 4000,
    maxStalledCount: options.maxStalledCount ?? 2,
    // An empty queue is polled every second, so that a new run's first jobs start soon.
    drainDelay: 1,
  });
  worker.on('error', (e) => log(`redis error: ${e.message}`));
  await worker.waitUntilReady();
  log(`worker ${me} waiting for client jobs on ${url} (queue ${options.queue ?? DEFAULT_QUEUE}, concurrency ${options.concurrency ?? 1})`);
  return {
    async close() {
      await worker.close();
      for (const e of executors.values()) await e.then((x) => x.close()).catch(() => undefined);
      executors.clear();
      redis.disconnect();
    },
  };
}

/** The stored form of an outcome: its plain fields as the header, its arrays packed. */
export function encodeOutcome(outcome: ClientTaskOutcome, attempt: number, worker: string): Buffer {
  const { attempts: _a, ...o } = outcome;
  if (!o.ok) return packArrays({ outcome: o, attempt, worker } satisfies StoredResultHeader, []);
  const { update, outputs, ...result } = o.result;
  const names = outputs === undefined ? undefined : Object.keys(outputs);
  const header: StoredResultHeader = {
    outcome: { ...o, result: { ...result, ...(names === undefined ? {} : { outputNames: names, outputCounts: names.map((k) => outputs![k]!.length) }) } },
    attempt,
    worker,
  };
  return packArrays(header, [...update, ...(names ?? []).flatMap((k) => outputs![k]!)]);
}
