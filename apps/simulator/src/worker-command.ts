import { Command, InvalidArgumentError } from 'commander';

import { startBullMqWorker, type BullMqWorkerHandle } from '@fedkit/executor-bullmq';
import { WorkerPoolExecutor } from '@fedkit/learning';

import { environmentModuleUrl, type SimulatorEnvironmentOptions } from './client-environment.js';

/** Options of {@link startSimulatorWorker}. */
export interface SimulatorWorkerOptions {
  readonly redis: string;
  /** Clients run at once, each on its own worker thread with its own model (default 1). */
  readonly concurrency?: number;
  readonly queue?: string;
  readonly log?: (line: string) => void;
}

/**
 * A `fedkit-simulate worker`: takes client jobs of any `--executor bullmq`
 * coordinator on the same Redis. For each run's environment (task, seed,
 * runtime, plugins) it starts `concurrency` worker threads; each thread loads the task and its train split
 * and builds the task's model once, with the same registry and runtime choice
 * as the coordinator ({@link createClientEnvironment}); clients train through
 * `runClientTask`.
 * Built-in tasks are found by name; a task module by its path, which must
 * exist on this machine too.
 * @example
 * ```ts
 * const worker = await startSimulatorWorker({ redis: 'redis://10.0.0.5:6379', concurrency: 2, log: console.log });
 * ```
 */
export async function startSimulatorWorker(options: SimulatorWorkerOptions): Promise<BullMqWorkerHandle> {
  const concurrency = options.concurrency ?? 1;
  const log = options.log ?? (() => undefined);
  return await startBullMqWorker({
    redis: options.redis,
    concurrency,
    // One job waits beside the running ones: the next client is fetched while one trains.
    prefetch: 1,
    ...(options.queue === undefined ? {} : { queue: options.queue }),
    log,
    executorFor: async (environment) => {
      const o = environment as SimulatorEnvironmentOptions;
      // Each thread loads the task and its data itself: this thread stays free to renew the job locks meanwhile
      // (a lock lost while a slow machine loads the task would hand the job to another worker).
      const pool = new WorkerPoolExecutor({ environment: { module: environmentModuleUrl(), options: { ...o, loadTaskData: true } }, numWorkers: concurrency });
      await pool.start();
      log(`task ${o.task} ready on ${concurrency} thread${concurrency > 1 ? 's' : ''}: ${pool.workerRuntimes[0]?.runtimeMessage ?? ''}`);
      return pool;
    },
  });
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('--concurrency must be an integer >= 1.');
  return n;
}

/**
 * `fedkit-simulate worker --redis URL [--concurrency N] [--queue NAME]`: runs
 * {@link startSimulatorWorker} until SIGINT or SIGTERM, then finishes its
 * running clients and exits 0.
 */
export async function runWorkerCommand(argv: readonly string[]): Promise<number> {
  const program = new Command('fedkit-simulate worker')
    .description('Run clients of --executor bullmq coordinators on this machine (start one per machine; any number).')
    .requiredOption('--redis <url>', 'the coordinators\' Redis: redis[s]://[user:password@]host:port')
    .option('--concurrency <n>', 'clients run at once, one worker thread each', positiveInt, 1)
    .option('--queue <name>', 'the BullMQ queue (default fedkit-clients)')
    .parse([...argv], { from: 'user' });
  const opts = program.opts<{ redis: string; concurrency: number; queue?: string }>();
  const worker = await startSimulatorWorker({
    redis: opts.redis,
    concurrency: opts.concurrency,
    ...(opts.queue === undefined ? {} : { queue: opts.queue }),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('stopping: finishing the running clients\n');
  await worker.close();
  return 0;
}
