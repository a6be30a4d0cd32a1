/**
 * @packageDocumentation
 * fedkit's contracts: type specs, the Model interface, model weights, metric
 * aggregation, errors, and the plugin container.
 */
// tsyringe refuses to load without a Reflect metadata polyfill; core is imported
// before any plugin, so loading it here spares every user that line.
import 'reflect-metadata';

export { ValueError, KeyError, LabelRangeError } from './errors.js';
export { checkLabelRange } from './check-label-range.js';
export { readHostValues } from './read-host-values.js';
export { TensorSpec } from './tensor-spec.js';
export { StructSpec, type StructElement } from './struct-spec.js';
export { SequenceSpec } from './sequence-spec.js';
export { FederatedSpec } from './federated-spec.js';
export { FunctionSpec } from './function-spec.js';
export { SERVER, CLIENTS, type Placement } from './placements.js';
export type { Spec } from './spec.js';
export { specOf } from './spec-of.js';
export { toSpec, isSpec, joinPath, type SpecStructure } from './to-spec.js';
export { checkCompatible } from './check-compatible.js';
export {
  normalizeBatch,
  flattenTensors,
  disposeBatch,
  isTensorLike,
  type Batch,
  type NamedBatch,
  type TensorStructure,
} from './batch.js';
export type { Model, BatchOutput, ForwardPassOptions } from './model.js';
export type { Loss, LossFn } from './loss.js';
export type { HostValues, Metric } from './metric.js';
export type { UnfinalizedMetrics, MetricFinalizers, FinalizedMetrics } from './unfinalized-metrics.js';
export { sumThenFinalize, sumUnfinalizedMetrics } from './sum-then-finalize.js';
export { ModelWeights, type ModelWeightArrays, type WeightsHolder } from './model-weights.js';
export {
  LOSS_PLUGIN,
  METRIC_PLUGIN,
  RUNTIME_PLUGIN,
  AGGREGATOR_PLUGIN,
  EXECUTOR_PLUGIN,
  type LossPlugin,
  type MetricPlugin,
  type RuntimePlugin,
  type AggregatorPlugin,
  type AggregatorContext,
  type ExecutorPlugin,
  type ExecutorContext,
} from './plugin-tokens.js';
export {
  isClientDataRef,
  hasDataRef,
  type OptimizerName,
  type OptimizerConfig,
  type ClientOptimizerSpec,
  type ClientUpdateSpec,
  type ClientDataRef,
  type ReferencedDataset,
  type ClientTask,
  type ClientUpdateResult,
  type ClientTaskOutcome,
  type RunClientsOptions,
  type ClientExecutor,
} from './client-task.js';
export type { ClientEnvironment, EnvironmentSpec, EnvironmentContext, CreateClientEnvironment } from './client-environment.js';
export type { LabeledArrays, TrainTestArrays } from './labeled-arrays.js';
export {
  createFedkitContainer,
  registerPlugin,
  pluginNames,
  pluginsByName,
  resolvePlugin,
  type NamedPlugin,
} from './fedkit-container.js';
export { resolveLoss, isLoss, describe } from './resolve-loss.js';
export { resolveMetric, isMetric } from './resolve-metric.js';
export { resolveAggregator } from './resolve-aggregator.js';
export { CpuRuntime } from './cpu-runtime.js';
export { BrowserBackendRuntime, browserRuntimes, isBrowser } from './browser-backend-runtime.js';
export { emitWarning, type WarningOptions } from './emit-warning.js';
export { selectRuntime, type RuntimeSelection } from './select-runtime.js';
export type { Measurements, MeasuredProcessOutput, MeasuredProcess } from './measured-process.js';
export type { IterativeProcess, IterativeProcessSignature } from './iterative-process.js';
export { isStreamingAggregator } from './learning-blocks.js';
export type {
  BatchDatasetLike,
  ClientWorkOptions,
  AggregatorAccumulator,
  StreamingAggregator,
  ClientDataset,
  ClientResult,
  ClientReport,
  RoundOptions,
  Distributor,
  ClientWorkOutput,
  ClientWorkMeasurements,
  ClientWork,
  Aggregator,
  AggregatorFactory,
  Finalizer,
  LearningProcessState,
  RoundMetrics,
  LearningProcessOutput,
  LearningProcess,
} from './learning-blocks.js';
export { SGD_UPDATE_KERNEL } from './sgd-update-kernel.js';
export { DENSE_SGD_STEP_KERNEL, type DenseSgdStepAttrs } from './dense-sgd-step-kernel.js';
