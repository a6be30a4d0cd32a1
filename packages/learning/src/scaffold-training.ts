/**
 * SCAFFOLD's client update — Karimireddy, Kale, Mohri, Reddi, Stich and
 * Suresh, "SCAFFOLD: Stochastic Controlled Averaging for Federated Learning",
 * ICML 2020 (https://arxiv.org/abs/1910.06378), Algorithm 1 with option II.
 */
import * as tf from '@tensorflow/tfjs';

import { ValueError } from '@fedkit/core';

import type { ClientUpdate } from './client-update.js';
import { trainLocally } from './local-training.js';

/**
 * SCAFFOLD's client update: K local SGD steps on the corrected gradient
 * g − cᵢ + c (the server's control variate `inputs.control`, the client's own
 * `inputs.client_control`), then the control-variate change
 * Δcᵢ = −c + (x − y)/(Kη) (option II), reported as `outputs.control_delta`;
 * the update is x − y as in FedAvg. The correction is added to the loss as the
 * linear term ⟨w, c − cᵢ⟩, whose gradient it is, so it works with every model.
 *
 * @throws ValueError (a failed client) when the optimizer is not plain SGD or the control variates do not fit the model.
 * @example
 * ```ts
 * const task = { ..., update: { name: 'scaffold_training' }, optimizer: { name: 'sgd', learningRate: 0.1 }, inputs: { control, client_control } };
 * ```
 */
export const scaffoldTraining: ClientUpdate = {
  name: 'scaffold_training',
  needsOptimizer: true,
  configKeys: [],
  async run(context) {
    const { model, inputs, optimizerConfig, label } = context;
    if (optimizerConfig?.name !== 'sgd') {
      throw new ValueError(`${label}: SCAFFOLD's correction assumes plain SGD, found ${optimizerConfig?.name ?? 'a function optimizer'}; use { name: 'sgd', learningRate }.`);
    }
    const vars = model.trainableVariables;
    const c = inputs['control'];
    const ci = inputs['client_control'];
    const fits = (a: readonly Float32Array[] | undefined): a is readonly Float32Array[] => a !== undefined && a.length === vars.length && a.every((x, i) => x.length === vars[i]!.size);
    if (!fits(c) || !fits(ci)) {
      throw new ValueError(`${label}: SCAFFOLD needs inputs.control and inputs.client_control shaped like the trainable weights (${vars.map((v) => v.size).join(', ')} values).`);
    }
    const correction = vars.map((v, i) => {
      const d = new Float32Array(v.size);
      for (let k = 0; k < d.length; k++) d[k] = c[i]![k]! - ci[i]![k]!;
      return tf.tensor(d, v.shape);
    });
    try {
      const out = await trainLocally(context, () => tf.addN(vars.map((v, i) => tf.sum(tf.mul(v, correction[i]!)))) as tf.Scalar);
      const steps = out.numBatches * optimizerConfig.learningRate;
      const delta = out.update.map((u, i) => {
        const d = new Float32Array(u.length);
        if (steps > 0) for (let k = 0; k < d.length; k++) d[k] = -c[i]![k]! + u[k]! / steps;
        return d;
      });
      return { ...out, outputs: { control_delta: delta } };
    } finally {
      for (const t of correction) t.dispose();
    }
  },
};
