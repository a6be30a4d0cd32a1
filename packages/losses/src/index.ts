/**
 * @packageDocumentation
 * Keras-compatible losses for fedkit: loss classes implementing core's `Loss`,
 * their per-example functions, the `SUM_OVER_BATCH_SIZE` reduction, loss
 * plugins registered by Keras name, and `defineLoss` for custom ones.
 */
export { EPSILON } from './epsilon.js';
export { squeezeOrExpandToSameRank, alignLabels, toFloat, moveAxisToLast, canonicalAxis } from './shapes.js';
export { reduceWeightedLoss, reduceWeightedValues, LOSS_REDUCTIONS, type LossReduction } from './reduction.js';
export {
  checkOptions,
  reductionOf,
  axisOf,
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
export {
  SparseCategoricalCrossentropy,
  sparseCategoricalCrossentropy,
  type SparseCategoricalCrossentropyOptions,
} from './sparse-categorical-crossentropy.js';
export { sparseSoftmaxCrossEntropyWithLogits } from './sparse-softmax-cross-entropy-with-logits.js';
export { KLDivergence, klDivergence } from './kl-divergence.js';
export { Poisson, poisson } from './poisson.js';
export { Hinge, hinge, toHingeLabels } from './hinge.js';
export { SquaredHinge, squaredHinge } from './squared-hinge.js';
export { CategoricalHinge, categoricalHinge } from './categorical-hinge.js';
export { CosineSimilarity, cosineSimilarity, type CosineSimilarityOptions } from './cosine-similarity.js';
export {
  BinaryFocalCrossentropy,
  binaryFocalCrossentropy,
  checkFocalParameters,
  type BinaryFocalCrossentropyOptions,
  type BinaryFocalParameters,
} from './binary-focal-crossentropy.js';
export {
  CategoricalFocalCrossentropy,
  categoricalFocalCrossentropy,
  type CategoricalFocalCrossentropyOptions,
  type CategoricalFocalParameters,
} from './categorical-focal-crossentropy.js';
export { Dice, dice, sumAxesOf, resolveSumAxes, type DiceOptions, type SumAxes } from './dice.js';
export { Tversky, tversky, type TverskyOptions } from './tversky.js';
export {
  CategoricalGeneralizedCrossEntropy,
  categoricalGeneralizedCrossEntropy,
  type CategoricalGeneralizedCrossEntropyOptions,
} from './categorical-generalized-cross-entropy.js';
export { defineLoss, type CustomLossFn } from './define-loss.js';
export { builtInLossPlugins, registerLosses } from './register-losses.js';
