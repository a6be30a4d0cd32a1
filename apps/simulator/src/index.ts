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
export { buildReportHtml, type ReportData, type LabelHistogram } from './report-html.js';
export { TerminalDisplay, type DisplayTarget } from './terminal-display.js';
export { checkTaskModule, checkTaskData, checkTaskExamples, TASK_EXPORTS, TASK_PLUGIN, type TaskDefinition, type TaskData } from './task.js';
export { mnist2nn, mnistCnn, fashionMnistCnn, FASHION_MNIST_DIR } from './builtin-tasks.js';
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
