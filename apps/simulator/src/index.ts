/**
 * @packageDocumentation
 * fedkit's simulator: `simulate()` (a cold RxJS Observable of federated
 * rounds), built-in tasks, the plugin registry every thread shares,
 * checkpoints, outputs, and the `fedkit-simulate` CLI.
 */
export { simulate } from './simulate.js';
export { type SimulationOptions, type ClientDataSource, type EvaluationMetrics } from './simulation-options.js';
export type {
  SimulationEvent,
  RunStartedEvent,
  RoundStartedEvent,
  ClientFinishedEvent,
  RoundFinishedEvent,
  EvaluatedEvent,
  CheckpointSavedEvent,
  CheckpointRejectedEvent,
  RunFinishedEvent,
} from './simulation-event.js';
export { buildUniformSampler, type ClientSampler, type UniformSamplerState } from './uniform-sampler.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  loadLatestCheckpoint,
  listCheckpoints,
  checkpointDirName,
  verifyCheckpoint,
  readCheckpointManifest,
  removeStaleTemporaries,
  sha256Hex,
  type Checkpoint,
  type CheckpointableState,
  type CheckpointManifest,
  type RejectedCheckpoint,
  type SaveCheckpointOptions,
  type ModelDescription,
} from './checkpoint.js';
export { prepareOutputFolder, RUN_OUTPUTS } from './output-folder.js';
export { checkResumeConfig, checkResumeModules, moduleHashes, EXPERIMENT_KEYS, STATE_KEYS, type ConfigChange } from './resume-check.js';
export { writeFileAtomic } from './write-file-atomic.js';
export { MetricsLog, type RoundRecord } from './metrics-log.js';
export { buildReportHtml, reportView, reportHeadline, type ReportData, type ReportPageOptions, type LabelHistogram, type RunStatus, type RunView, type Headline } from './report-html.js';
export { mountRunCharts, type ChartConstructor, type ChartInstance, type PageDocument } from './run-charts.js';
export { ReportWriter } from './report-writer.js';
export { summarizeRounds, accuracyOf, type RunSummary } from './run-summary.js';
export { colorEnabled, paint, type Style } from './terminal-color.js';
export { runtimeLine } from './runtime-line.js';
export { viewOptionsOf, type ViewOptions } from './view-options.js';
export { crc32c, maskCrc32c } from './crc32c.js';
export { frameRecord, readRecords } from './tf-record.js';
export { encodeEvent, decodeEvent, type TfEvent, type TfScalar } from './tf-event.js';
export { TensorBoardWriter, tensorBoardScalars, readEventFile, EVENT_FILE_VERSION } from './tensorboard-writer.js';
export { TerminalDisplay, type DisplayTarget, type DisplayOptions } from './terminal-display.js';
export { checkTaskModule, checkTaskData, checkTaskExamples, TASK_EXPORTS, TASK_PLUGIN, type TaskDefinition, type TaskData } from './task.js';
export { mnist2nn, mnistCnn, fashionMnist2nn, fashionMnistCnn, loadFashionMnist, FASHION_MNIST_DIR } from './builtin-tasks.js';
export { loadTask, isTaskPath } from './load-task.js';
export { taskModelFactory } from './build-task-model.js';
export { registerBuiltins, loadPluginModules } from './register-builtins.js';
export { createClientEnvironment, environmentModuleUrl, type SimulatorEnvironmentOptions } from './client-environment.js';
export { resolveClientOptimizer, DEFAULT_CLIENT_OPTIMIZER, KERAS_DEFAULT_LEARNING_RATE } from './resolve-client-optimizer.js';
export { DEFAULT_CONFIG, mergeConfig, type SimulatorConfig } from './simulator-config.js';
export { CONFIG_KEYS, CONFIG_KEY_NAMES, ConfigValueError, flagParser, parseConfigFile, type ConfigKeyRule } from './simulator-config-schema.js';
export { prepareRun, buildRegistry, type PreparedRun } from './prepare-run.js';
export { partitionFor } from './partition-for.js';
export { buildProgram, resolveConfig, resolveRun, type ResolvedRun } from './cli-program.js';
