/**
 * @packageDocumentation
 * Keras-compatible losses for fedkit, as classes and as plugins resolvable by name.
 */
export { KerasLoss, EPSILON, type LossOptions } from './keras-loss.js';
export { reduceSumOverBatchSize } from './reduce-loss.js';
export {
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  Huber,
  LogCosh,
  CosineSimilarity,
  type HuberOptions,
} from './regression-losses.js';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  KLDivergence,
  Poisson,
  sparseLabels,
  type CrossentropyOptions,
} from './probabilistic-losses.js';
export { Hinge, SquaredHinge, CategoricalHinge } from './hinge-losses.js';
export { defineLoss, type LossBody } from './define-loss.js';
export { registerLosses, builtInLossPlugins } from './register-losses.js';
