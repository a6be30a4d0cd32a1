/**
 * FedProx's client update — Li et al., "Federated Optimization in
 * Heterogeneous Networks", MLSys 2020 (https://arxiv.org/abs/1812.06127).
 */
import * as tf from '@tensorflow/tfjs';

import { ValueError } from '@fedkit/core';

import type { ClientUpdate } from './client-update.js';
import { forEachBatch } from './for-each-batch.js';
import { modelDelta } from './model-delta.js';

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
  async run({ model, weights, dataset, optimizer, config, signal, label, deadline }) {
    const mu = proximalStrengthOf(config);
    const vars = model.trainableVariables;
    const global = weights.trainable.map((a, i) => tf.tensor(a, weights.trainableShapes[i]));
    try {
      const counts = await forEachBatch(
        model,
        dataset,
        (batch) => {
          let n = 0;
          optimizer!.minimize(
            () => {
              const out = model.forwardPass(batch, true);
              n = out.numExamples;
              const prox = tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, global[i]!)))));
              return tf.add(out.loss, tf.mul(mu / 2, prox)) as tf.Scalar;
            },
            false,
            vars,
          );
          return n;
        },
        { label, ...(signal === undefined ? {} : { signal }), ...(deadline === undefined ? {} : { deadline }) },
      );
      return { update: modelDelta(weights.trainable, vars), ...counts, extra: { local_steps: counts.numBatches } };
    } finally {
      for (const t of global) t.dispose();
    }
  },
};
