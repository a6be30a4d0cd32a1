import { LOSS_PLUGIN, registerPlugin, type Loss, type LossPlugin } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

import { CategoricalHinge, Hinge, SquaredHinge } from './hinge-losses.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
} from './probabilistic-losses.js';
import {
  CosineSimilarity,
  Huber,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
} from './regression-losses.js';

type LossClass = new (options?: Record<string, unknown>) => Loss;

/** Keras names (and aliases) of the built-in losses. */
const BUILT_IN: ReadonlyArray<readonly [LossClass, readonly string[]]> = [
  [MeanSquaredError, ['mean_squared_error', 'mse']],
  [MeanAbsoluteError, ['mean_absolute_error', 'mae']],
  [MeanAbsolutePercentageError, ['mean_absolute_percentage_error', 'mape']],
  [MeanSquaredLogarithmicError, ['mean_squared_logarithmic_error', 'msle']],
  [Huber, ['huber', 'huber_loss']],
  [LogCosh, ['log_cosh', 'logcosh']],
  [BinaryCrossentropy, ['binary_crossentropy']],
  [CategoricalCrossentropy, ['categorical_crossentropy']],
  [SparseCategoricalCrossentropy, ['sparse_categorical_crossentropy']],
  [KLDivergence, ['kl_divergence', 'kld', 'kullback_leibler_divergence']],
  [Poisson, ['poisson']],
  [Hinge, ['hinge']],
  [SquaredHinge, ['squared_hinge']],
  [CategoricalHinge, ['categorical_hinge']],
  [CosineSimilarity, ['cosine_similarity']],
];

/** The built-in losses as plugins, one per Keras name or alias. */
export function builtInLossPlugins(): LossPlugin[] {
  return BUILT_IN.flatMap(([LossClass, names]) =>
    names.map((name) => ({ name, create: (config?: Record<string, unknown>) => new LossClass(config) })),
  );
}

/**
 * Registers every built-in loss under its Keras snake_case name and aliases,
 * so `resolveLoss(container, 'mse')` works.
 *
 * @example
 * ```ts
 * const container = createFedkitContainer();
 * registerLosses(container);
 * const loss = resolveLoss(container, 'sparse_categorical_crossentropy', { fromLogits: true });
 * ```
 */
export function registerLosses(container: DependencyContainer): DependencyContainer {
  for (const plugin of builtInLossPlugins()) registerPlugin(container, LOSS_PLUGIN, plugin);
  return container;
}
