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
export {
  MeanAbsoluteError,
  MeanSquaredError,
  RootMeanSquaredError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  CosineSimilarity,
  LogCoshError,
  R2Score,
  type CosineSimilarityOptions,
  type R2ScoreOptions,
  type R2ClassAggregation,
} from './regression-metrics.js';
export { F1Score, FBetaScore, type F1ScoreOptions, type FBetaScoreOptions, type FScoreAverage } from './f-score-metrics.js';
export {
  IoU,
  MeanIoU,
  BinaryIoU,
  OneHotIoU,
  OneHotMeanIoU,
  type IoUOptions,
  type MeanIoUOptions,
  type BinaryIoUOptions,
  type OneHotIoUOptions,
  type OneHotMeanIoUOptions,
} from './iou-metrics.js';
export { Hinge, SquaredHinge, CategoricalHinge } from './hinge-metrics.js';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  KLDivergence,
  Poisson,
  type CrossentropyMetricOptions,
  type SmoothedCrossentropyMetricOptions,
} from './probabilistic-metrics.js';
export {
  Precision,
  Recall,
  TruePositiveRatio,
  TruePositives,
  FalsePositives,
  TrueNegatives,
  FalseNegatives,
  ConfusionMatrixConditionCount,
  type ThresholdsOptions,
  type ConfusionCountOptions,
} from './confusion-metrics.js';
export { confusionCounts, parseThresholds, NEG_INF, type ConfusionCounts, type ConfusionCountsOptions } from './confusion-matrix.js';
export { AUC, type AucOptions, type AucSummationMethod, type AucCurve } from './auc.js';
export {
  SensitivitySpecificityBase,
  SensitivityAtSpecificity,
  SpecificityAtSensitivity,
  PrecisionAtRecall,
  RecallAtPrecision,
  type SensitivitySpecificityOptions,
  type SensitivityAtSpecificityOptions,
  type SpecificityAtSensitivityOptions,
  type PrecisionAtRecallOptions,
  type RecallAtPrecisionOptions,
  type ThresholdCounts,
} from './sensitivity-specificity-metrics.js';
export { NumExamplesCounter, NumBatchesCounter } from './counters.js';
export { defineMetric, type MetricBody, type DefineMetricOptions, type DefinedMetricPlugin } from './define-metric.js';
export { registerMetrics, builtInMetricPlugins, BUILT_IN_METRICS } from './register-metrics.js';
