import type { DependencyContainer } from 'tsyringe';
import { LOSS_PLUGIN, registerPlugin, type Loss, type LossPlugin } from '@fedkit/core';

import { BinaryCrossentropy } from './binary-crossentropy.js';
import { BinaryFocalCrossentropy } from './binary-focal-crossentropy.js';
import { CategoricalCrossentropy } from './categorical-crossentropy.js';
import { CategoricalFocalCrossentropy } from './categorical-focal-crossentropy.js';
import { CategoricalGeneralizedCrossEntropy } from './categorical-generalized-cross-entropy.js';
import { CategoricalHinge } from './categorical-hinge.js';
import { CosineSimilarity } from './cosine-similarity.js';
import { Dice } from './dice.js';
import { Hinge } from './hinge.js';
import { Huber } from './huber.js';
import { KLDivergence } from './kl-divergence.js';
import { LogCosh } from './log-cosh.js';
import { MeanAbsoluteError } from './mean-absolute-error.js';
import { MeanAbsolutePercentageError } from './mean-absolute-percentage-error.js';
import { MeanSquaredError } from './mean-squared-error.js';
import { MeanSquaredLogarithmicError } from './mean-squared-logarithmic-error.js';
import { Poisson } from './poisson.js';
import { SparseCategoricalCrossentropy } from './sparse-categorical-crossentropy.js';
import { SquaredHinge } from './squared-hinge.js';
import { Tversky } from './tversky.js';

type LossClass = new (options?: Record<string, unknown>) => Loss;

/**
 * Keras's names for each built-in loss: the snake_case name first, then its aliases.
 * Porting note: the camelCase names are tfjs-layers' (`model.compile({ loss: 'categoricalCrossentropy' })`,
 * its `lossesMap`), so a loss name written for tfjs-layers resolves too; `cosineProximity` is tfjs's name for
 * the same negative cosine similarity.
 */
const KERAS_NAMES: ReadonlyArray<readonly [LossClass, readonly string[]]> = [
  [MeanSquaredError, ['mean_squared_error', 'mse', 'meanSquaredError']],
  [MeanAbsoluteError, ['mean_absolute_error', 'mae', 'meanAbsoluteError']],
  [MeanAbsolutePercentageError, ['mean_absolute_percentage_error', 'mape', 'meanAbsolutePercentageError']],
  [MeanSquaredLogarithmicError, ['mean_squared_logarithmic_error', 'msle', 'meanSquaredLogarithmicError']],
  [Huber, ['huber', 'huber_loss']],
  [LogCosh, ['log_cosh', 'logcosh']],
  [BinaryCrossentropy, ['binary_crossentropy', 'binaryCrossentropy']],
  [CategoricalCrossentropy, ['categorical_crossentropy', 'categoricalCrossentropy']],
  [SparseCategoricalCrossentropy, ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy']],
  [KLDivergence, ['kl_divergence', 'kld', 'kullback_leibler_divergence', 'kullbackLeiblerDivergence']],
  [Poisson, ['poisson']],
  [Hinge, ['hinge']],
  [SquaredHinge, ['squared_hinge', 'squaredHinge']],
  [CategoricalHinge, ['categorical_hinge', 'categoricalHinge']],
  [CosineSimilarity, ['cosine_similarity', 'cosineProximity']],
  [BinaryFocalCrossentropy, ['binary_focal_crossentropy']],
  [CategoricalFocalCrossentropy, ['categorical_focal_crossentropy']],
  [Dice, ['dice']],
  [Tversky, ['tversky']],
  [CategoricalGeneralizedCrossEntropy, ['categorical_generalized_cross_entropy']],
];

/**
 * The built-in losses as plugins, one per Keras name and alias (`mse` and
 * `mean_squared_error` both create a `MeanSquaredError`). A plugin's `config`
 * is the class's camelCase constructor options, e.g. `{ fromLogits: true }`.
 *
 * @example
 * ```ts
 * const names = builtInLossPlugins().map((p) => p.name); // ['mean_squared_error', 'mse', ...]
 * ```
 */
export function builtInLossPlugins(): LossPlugin[] {
  return KERAS_NAMES.flatMap(([LossClass, names]) =>
    names.map((name) => ({ name, create: (config?: Record<string, unknown>) => new LossClass(config) })),
  );
}

/**
 * Registers every built-in loss under `LOSS_PLUGIN` in `container` by its Keras
 * name and aliases, so that `resolveLoss(container, 'mse')` works. Use a child
 * container (`createFedkitContainer()`): the parent does not see what is
 * registered in it.
 *
 * @example
 * ```ts
 * const c = registerLosses(createFedkitContainer());
 * const scce = resolveLoss(c, 'sparse_categorical_crossentropy', { fromLogits: true });
 * ```
 * @returns `container`, for chaining.
 */
export function registerLosses(container: DependencyContainer): DependencyContainer {
  for (const plugin of builtInLossPlugins()) registerPlugin(container, LOSS_PLUGIN, plugin);
  return container;
}
