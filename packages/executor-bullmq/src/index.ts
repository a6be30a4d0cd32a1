/**
 * @packageDocumentation
 * fedkit clients on many machines: the `bullmq` executor (a coordinator that
 * turns a round's clients into BullMQ jobs on Redis) and the worker that runs
 * them anywhere the project is installed.
 */
export { BullMqExecutor, decodeOutcome, type BullMqExecutorOptions } from './bullmq-executor.js';
export { startBullMqWorker, encodeOutcome, type BullMqWorkerOptions, type BullMqWorkerHandle, type ClosableExecutor } from './bullmq-worker.js';
export { bullMqExecutorPlugin, registerBullMqExecutor } from './register-bullmq-executor.js';
export { RedisUnavailableError } from './redis-unavailable-error.js';
export { redactRedisUrl, redisOptions } from './redis-url.js';
export { packArrays, unpackArrays } from './packed-arrays.js';
export { RunKeys, DEFAULT_PREFIX, DEFAULT_QUEUE, type ClientJobData, type StoredResultHeader } from './client-job.js';
export { startRedisServer, freePort, type RedisServer, type RedisServerOptions } from './start-redis-server.js';
