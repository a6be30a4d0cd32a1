/**
 * @packageDocumentation
 * Keras-compatible, federated-aggregatable metrics: state in tf.Variables,
 * `unfinalizedState()` summed across clients, then `finalize`.
 */
export { Metric, divNoNan, checkConfig, type MetricOptions, type MetricClass, type MetricConstructor, type ConfigKeys } from './metric.js';
export { Reduce, Sum, Mean, weighValues, type Reduction, type ReduceOptions } from './reduce.js';
export { MeanMetricWrapper, KerasMeanMetric, type MetricFn, type MeanMetricWrapperConfig } from './mean-metric-wrapper.js';
export { squeezeOrExpandToSameRank, sparseLabels, meanLastAxis } from './shapes.js';
export {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  type BinaryAccuracyOptions,
  type TopKOptions,
} from './accuracy-metrics.js';
export { MeanAbsoluteError, MeanSquaredError, RootMeanSquaredError, MeanAbsolutePercentageError } from './regression-metrics.js';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  type CrossentropyMetricOptions,
  type SmoothedCrossentropyMetricOptions,
} from './probabilistic-metrics.js';
export { Precision, Recall, TruePositiveRatio, AUC, type ThresholdsOptions, type AucOptions, type AucSummationMethod } from './confusion-metrics.js';
export { NumExamplesCounter, NumBatchesCounter } from './counters.js';
export { defineMetric, type MetricBody, type DefineMetricOptions, type DefinedMetricPlugin } from './define-metric.js';
export { registerMetrics, builtInMetricPlugins, BUILT_IN_METRICS } from './register-metrics.js';
