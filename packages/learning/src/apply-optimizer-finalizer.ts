import { StructSpec, TensorSpec, type Finalizer, type ModelWeightArrays } from '@fedkit/core';

import { allFinite } from './all-finite.js';
import type { ServerOptimizer, ServerOptimizerState } from './server-optimizer.js';
import { copyWeights, sizesOf, trainableSpecOf } from './weights-spec.js';

/**
 * Applies the aggregate update to the trainable global weights with a server
 * optimizer, as a pseudo-gradient (TFF's `build_apply_optimizer_finalizer`).
 * Non-trainable weights are kept as they are. A non-finite aggregate is
 * refused: weights and optimizer state stay as they were and the measurement
 * `update_non_finite` is 1.
 *
 * @example
 * ```ts
 * const finalizer = applyOptimizerFinalizer(fedAdam(), weightsSpecOf(initial));
 * ```
 */
export function applyOptimizerFinalizer(optimizer: ServerOptimizer, weightsSpec: StructSpec): Finalizer<ServerOptimizerState> {
  const updateSpec = trainableSpecOf(weightsSpec);
  const sizes = sizesOf(updateSpec);
  const slots: Record<string, StructSpec> = {};
  for (const name of optimizer.slotNames) slots[name] = updateSpec;
  return {
    weightsSpec,
    updateSpec,
    stateSpec: new StructSpec({ step: new TensorSpec([], 'int32'), slots: new StructSpec(slots) }),
    measurementsSpec: new StructSpec({ update_non_finite: new TensorSpec([], 'int32') }),
    initialize: () => optimizer.initialize(sizes),
    async next(state, weights: ModelWeightArrays, update) {
      if (!allFinite(update)) {
        return { state, result: copyWeights(weights), measurements: { update_non_finite: 1 } };
      }
      const stepped = optimizer.step(state, weights.trainable, update);
      // The step made new trainable arrays; only the rest is copied.
      const result = { ...copyWeights({ ...weights, trainable: [] }), trainable: stepped.weights };
      return { state: stepped.state, result, measurements: { update_non_finite: 0 } };
    },
  };
}
