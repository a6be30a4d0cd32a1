/**
 * FedSGD's client update — McMahan et al., "Communication-Efficient Learning
 * of Deep Networks from Decentralized Data", AISTATS 2017 (https://arxiv.org/abs/1602.05629).
 */
import * as tf from '@tensorflow/tfjs';

import type { ClientUpdate } from './client-update.js';
import { forEachBatch } from './for-each-batch.js';

/**
 * FedSGD's client update (TFF's `build_fed_sgd` client work): no local step;
 * the update is the example-weighted mean gradient of the loss at the
 * broadcast weights over all of the client's batches (sums in float64).
 *
 * @example
 * ```ts
 * const task = { ..., update: { name: 'mean_gradient' } }; // no optimizer needed
 * ```
 */
export const meanGradient: ClientUpdate = {
  name: 'mean_gradient',
  needsOptimizer: false,
  configKeys: [],
  async run({ model, dataset, signal, label, deadline }) {
    const vars = model.trainableVariables;
    const sums = vars.map((v) => new Float64Array(v.size));
    const counts = await forEachBatch(
      model,
      dataset,
      (batch) => {
        let n = 0;
        const { value, grads } = tf.variableGrads(() => {
          const out = model.forwardPass(batch, true, { inputChecked: true });
          n = out.numExamples;
          return out.loss;
        }, vars);
        vars.forEach((v, i) => {
          const g = grads[v.name]!.dataSync();
          const acc = sums[i]!;
          for (let k = 0; k < acc.length; k++) acc[k]! += g[k]! * n;
        });
        value.dispose();
        for (const g of Object.values(grads)) g.dispose();
        return n;
      },
      { label, ...(signal === undefined ? {} : { signal }), ...(deadline === undefined ? {} : { deadline }) },
    );
    const n = counts.numExamples;
    const update = sums.map((acc) => {
      const out = new Float32Array(acc.length);
      if (n > 0) for (let k = 0; k < acc.length; k++) out[k] = acc[k]! / n;
      return out;
    });
    return { update, ...counts };
  },
};
