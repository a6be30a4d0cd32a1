import { type OptimizerConfig, type OptimizerName } from '@fedkit/core';
import { checkOptimizerConfig } from '@fedkit/learning';

/** Keras's default learning rate per optimizer, used when `--client-optimizer` changes the optimizer without `--client-lr`. */
export const KERAS_DEFAULT_LEARNING_RATE: Readonly<Record<OptimizerName, number>> = {
  sgd: 0.01,
  momentum: 0.01,
  adam: 0.001,
  adamax: 0.001,
  rmsprop: 0.001,
  adagrad: 0.001,
  adadelta: 0.001,
};

/** The client optimizer of a run without a task preference: the FedAvg paper's SGD with learning rate 0.1. */
export const DEFAULT_CLIENT_OPTIMIZER: OptimizerConfig = { name: 'sgd', learningRate: 0.1 };

/**
 * The client optimizer of a run: the task's (or SGD 0.1), with `--client-optimizer`
 * replacing the name and `--client-lr` the learning rate. A new name without
 * `--client-lr` takes Keras's default learning rate for that optimizer (and
 * drops the task's other options, which belong to its optimizer).
 *
 * @throws ValueError for an unknown optimizer or bad learning rate.
 * @example
 * ```ts
 * resolveClientOptimizer(undefined, 'adam', undefined); // { name: 'adam', learningRate: 0.001 }
 * ```
 */
export function resolveClientOptimizer(taskOptimizer: OptimizerConfig | undefined, name: string | undefined, learningRate: number | undefined): OptimizerConfig {
  const base = taskOptimizer ?? DEFAULT_CLIENT_OPTIMIZER;
  if (name === undefined || name === base.name) {
    return checkOptimizerConfig({ ...base, ...(learningRate === undefined ? {} : { learningRate }) });
  }
  const lr = learningRate ?? KERAS_DEFAULT_LEARNING_RATE[name as OptimizerName];
  return checkOptimizerConfig({ name: name as OptimizerName, learningRate: lr as number });
}
