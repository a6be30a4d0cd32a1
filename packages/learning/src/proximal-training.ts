/**
 * FedProx's client update — Li et al., "Federated Optimization in
 * Heterogeneous Networks", MLSys 2020 (https://arxiv.org/abs/1812.06127).
 */
import * as tf from '@tensorflow/tfjs';

import { ValueError } from '@fedkit/core';

import type { ClientUpdate } from './client-update.js';
import { trainLocally } from './local-training.js';

/** μ from a task's config, checked (TFF raises ValueError for a negative strength). */
export function proximalStrengthOf(config: Readonly<Record<string, unknown>>): number {
  const mu = config['proximalStrength'];
  if (typeof mu !== 'number' || !(mu >= 0) || !Number.isFinite(mu)) {
    throw new ValueError(`proximalStrength must be a finite number >= 0, found ${String(mu)}. Use 0 for FedAvg, e.g. 0.01 for FedProx.`);
  }
  return mu;
}

/**
 * FedProx's client update (TFF's `build_fed_prox_client_work`): local
 * training whose loss adds μ/2‖w − w_global‖² over the trainable weights
 * (`config.proximalStrength` = μ). Reported metrics are the model's own loss,
 * without the proximal term.
 *
 * @example
 * ```ts
 * const task = { ..., update: { name: 'proximal_training', config: { proximalStrength: 0.01 } } };
 * ```
 */
export const proximalTraining: ClientUpdate = {
  name: 'proximal_training',
  needsOptimizer: true,
  configKeys: ['proximalStrength'],
  async run(context) {
    const mu = proximalStrengthOf(context.config);
    const { model, weights } = context;
    const vars = model.trainableVariables;
    const global = weights.trainable.map((a, i) => tf.tensor(a, weights.trainableShapes[i]));
    try {
      return await trainLocally(context, () => tf.mul(mu / 2, tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, global[i]!)))))) as tf.Scalar);
    } finally {
      for (const t of global) t.dispose();
    }
  },
};
