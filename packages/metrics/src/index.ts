/**
 * @packageDocumentation
 * Keras-compatible, federated-aggregatable metrics: state in tf.Variables,
 * `unfinalizedState()` summed across clients, then `finalize`.
 */
export { Metric, divNoNan, type MetricOptions, type MetricClass } from './metric.js';
export { Sum, Mean, Reduce, weighValues } from './reduce.js';
export { MeanMetricWrapper, type MetricFn } from './mean-metric-wrapper.js';
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
} from './probabilistic-metrics.js';
export { Precision, Recall, AUC, type ThresholdsOptions, type AucOptions } from './confusion-metrics.js';
export { NumExamplesCounter, NumBatchesCounter } from './counters.js';
export { defineMetric, type MetricBody, type DefineMetricOptions } from './define-metric.js';
export { registerMetrics, builtInMetricPlugins, BUILT_IN_METRICS } from './register-metrics.js';
