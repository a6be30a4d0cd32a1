/**
 * @packageDocumentation
 * fedkit's simulator: `simulate()` (a cold RxJS Observable of federated
 * rounds), built-in tasks, checkpoints, outputs, a worker-thread client
 * executor, and the `fedkit-simulate` CLI.
 */
export { simulate, type SimulationOptions, type ClientDataSource, type ProcessContext, type EvaluationMetrics } from './simulate.js';
export type {
  SimulationEvent,
  RunStartedEvent,
  RoundStartedEvent,
  ClientFinishedEvent,
  RoundFinishedEvent,
  EvaluatedEvent,
  CheckpointSavedEvent,
  RunFinishedEvent,
} from './simulation-event.js';
export { buildUniformSampler, type ClientSampler, type UniformSamplerState } from './uniform-sampler.js';
export { ClientBatches, arrayBatches, batchIndices, gatherBatch, type ArrayData, type ClientBatchPlan } from './array-data.js';
export { saveCheckpoint, loadCheckpoint, loadLatestCheckpoint, listCheckpoints, checkpointDirName, type Checkpoint, type CheckpointableState, type ModelDescription } from './checkpoint.js';
export { writeFileAtomic } from './write-file-atomic.js';
export { MetricsLog, type RoundRecord } from './metrics-log.js';
export { buildReportHtml, type ReportData, type LabelHistogram } from './report-html.js';
export { TerminalDisplay, type DisplayTarget } from './terminal-display.js';
export { checkTaskModule, TASK_EXPORTS, type TaskDefinition, type TaskData } from './task.js';
export { BUILTIN_TASKS, mnist2nn, mnistCnn, fashionMnistCnn, FASHION_MNIST_DIR } from './builtin-tasks.js';
export { loadTask } from './load-task.js';
export { taskModelFactory } from './build-task-model.js';
export { buildAggregator, AGGREGATORS, type AggregatorContext } from './aggregators.js';
export { buildAlgorithm, ALGORITHMS, DEFAULT_SERVER_LR, type AlgorithmName, type AlgorithmOptions } from './algorithms.js';
export { WorkerPoolExecutor, type WorkerPoolOptions } from './worker-pool-executor.js';
export { DEFAULT_CONFIG, mergeConfig, type SimulatorConfig } from './simulator-config.js';
export { prepareRun, partitionFor, type PreparedRun } from './run-config.js';
export { buildProgram, resolveConfig } from './cli-program.js';
