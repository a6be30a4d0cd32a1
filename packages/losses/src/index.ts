/**
 * @packageDocumentation
 * Keras-compatible losses for fedkit: loss classes implementing core's `Loss`,
 * their per-example functions, the `SUM_OVER_BATCH_SIZE` reduction, loss
 * plugins registered by Keras name, and `defineLoss` for custom ones.
 */
export { EPSILON } from './epsilon.js';
export { squeezeOrExpandToSameRank, alignLabels, toFloat } from './shapes.js';
export { reduceWeightedLoss } from './reduction.js';
export {
  checkOptions,
  type OptionTypes,
  type BaseLossOptions,
  type FromLogitsOptions,
  type SmoothedCrossentropyOptions,
} from './options.js';
export { LossFunctionWrapper, type PerExampleLossFn } from './loss-function-wrapper.js';
export { MeanSquaredError, meanSquaredError } from './mean-squared-error.js';
export { MeanAbsoluteError, meanAbsoluteError } from './mean-absolute-error.js';
export { MeanAbsolutePercentageError, meanAbsolutePercentageError } from './mean-absolute-percentage-error.js';
export { MeanSquaredLogarithmicError, meanSquaredLogarithmicError } from './mean-squared-logarithmic-error.js';
export { Huber, huber, type HuberOptions } from './huber.js';
export { LogCosh, logCosh } from './log-cosh.js';
export { BinaryCrossentropy, binaryCrossentropy } from './binary-crossentropy.js';
export { CategoricalCrossentropy, categoricalCrossentropy } from './categorical-crossentropy.js';
export { SparseCategoricalCrossentropy, sparseCategoricalCrossentropy } from './sparse-categorical-crossentropy.js';
export { KLDivergence, klDivergence } from './kl-divergence.js';
export { Poisson, poisson } from './poisson.js';
export { Hinge, hinge, toHingeLabels } from './hinge.js';
export { SquaredHinge, squaredHinge } from './squared-hinge.js';
export { CategoricalHinge, categoricalHinge } from './categorical-hinge.js';
export { CosineSimilarity, cosineSimilarity, type CosineSimilarityOptions } from './cosine-similarity.js';
export { defineLoss, type CustomLossFn } from './define-loss.js';
export { builtInLossPlugins, registerLosses } from './register-losses.js';
