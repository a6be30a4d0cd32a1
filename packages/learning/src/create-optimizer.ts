import * as tf from '@tensorflow/tfjs';

import { ValueError, type OptimizerConfig, type OptimizerName } from '@fedkit/core';

import { FusedSgdOptimizer } from './fused-sgd-optimizer.js';

// Keras's option names per optimizer; tfjs takes them positionally.
const KEYS: Readonly<Record<OptimizerName, readonly string[]>> = {
  sgd: [],
  momentum: ['momentum', 'nesterov'],
  adam: ['beta1', 'beta2', 'epsilon'],
  adamax: ['beta1', 'beta2', 'epsilon'],
  rmsprop: ['rho', 'momentum', 'epsilon'],
  adagrad: ['initialAccumulatorValue'],
  adadelta: ['rho', 'epsilon'],
};

/** The optimizer names {@link createOptimizer} accepts. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = Object.keys(KEYS) as OptimizerName[];

/**
 * Checks an {@link OptimizerConfig}: a known name, a learning rate >= 0 (a schedule may decay to 0, as in TFF),
 * only the options that optimizer takes, each a finite number (or boolean for `nesterov`).
 * @throws ValueError naming the bad key and the valid ones.
 * @example
 * ```ts
 * checkOptimizerConfig({ name: 'adam', learningRate: 0.001 });
 * ```
 */
export function checkOptimizerConfig(config: OptimizerConfig): OptimizerConfig {
  if (config === null || typeof config !== 'object') throw new ValueError(`An optimizer config must be an object such as { name: 'sgd', learningRate: 0.1 }, found ${String(config)}.`);
  const keys = KEYS[config.name];
  if (keys === undefined) {
    throw new ValueError(`Unknown optimizer "${String(config.name)}". Valid optimizers: ${OPTIMIZER_NAMES.join(', ')}.`);
  }
  if (typeof config.learningRate !== 'number' || !(config.learningRate >= 0) || !Number.isFinite(config.learningRate)) {
    throw new ValueError(`The ${config.name} optimizer's learningRate must be a finite number >= 0, found ${String(config.learningRate)}.`);
  }
  for (const [k, v] of Object.entries(config)) {
    if (k === 'name' || k === 'learningRate') continue;
    if (!keys.includes(k)) {
      throw new ValueError(`The ${config.name} optimizer has no option "${k}"; its options are: learningRate${keys.map((o) => `, ${o}`).join('')}.`);
    }
    if (k === 'nesterov' ? typeof v !== 'boolean' : typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new ValueError(`The ${config.name} optimizer's ${k} must be ${k === 'nesterov' ? 'a boolean' : 'a finite number >= 0'}, found ${String(v)}.`);
    }
  }
  return config;
}

/**
 * A new tfjs optimizer from a Keras-style config (the caller disposes it).
 * Defaults are Keras's where tfjs's differ (adam epsilon 1e-7, rmsprop rho 0.9).
 *
 * @throws ValueError for an unknown name or option.
 * @example
 * ```ts
 * const opt = createOptimizer({ name: 'adam', learningRate: 0.001 });
 * opt.dispose();
 * ```
 */
export function createOptimizer(config: OptimizerConfig): tf.Optimizer {
  const c = checkOptimizerConfig(config);
  const lr = c.learningRate;
  switch (c.name) {
    case 'sgd':
      return new FusedSgdOptimizer(lr);
    case 'momentum':
      return tf.train.momentum(lr, c.momentum ?? 0.9, c.nesterov ?? false);
    case 'adam':
      return tf.train.adam(lr, c.beta1 ?? 0.9, c.beta2 ?? 0.999, c.epsilon ?? 1e-7);
    case 'adamax':
      return tf.train.adamax(lr, c.beta1 ?? 0.9, c.beta2 ?? 0.999, c.epsilon ?? 1e-7);
    case 'rmsprop':
      return tf.train.rmsprop(lr, c.rho ?? 0.9, c.momentum ?? 0, c.epsilon ?? 1e-7);
    case 'adagrad':
      return tf.train.adagrad(lr, c.initialAccumulatorValue ?? 0.1);
    case 'adadelta':
      return tf.train.adadelta(lr, c.rho ?? 0.95, c.epsilon ?? 1e-7);
  }
}
