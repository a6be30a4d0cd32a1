/**
 * @packageDocumentation
 * Federated learning algorithms (FedAvg, FedProx, FedSGD, FedNova, FedOpt,
 * federated evaluation) built from TFF's composable blocks, the client-update
 * blocks every executor runs, and the in-process and worker-thread executors.
 */
// Everything that runs in a browser, listed once in the browser entry; the Node entry adds worker_threads.
export * from './index.browser.js';
// Shadows the browser entry's registerLearning: this one also registers the worker-thread executor.
export { registerLearning } from './register-learning.js';
export { WorkerPoolExecutor, type WorkerPoolOptions, type WorkerRuntime } from './executors/worker-pool-executor.js';
