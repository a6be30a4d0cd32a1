import { StructSpec, type Distributor, type ModelWeightArrays } from '@fedkit/core';

import { copyWeights } from './weights-spec.js';

/**
 * Sends the global weights unchanged to every client (TFF's
 * `build_broadcast_process`). Stateless.
 * @example
 * ```ts
 * composeLearningProcess({ ..., distributor: broadcastDistributor(weightsSpecOf(initial)) });
 * ```
 */
export function broadcastDistributor(weightsSpec: StructSpec): Distributor<Record<string, never>> {
  return {
    weightsSpec,
    stateSpec: new StructSpec([]),
    measurementsSpec: new StructSpec([]),
    initialize: () => ({}),
    next: async (state, weights: ModelWeightArrays) => ({ state, result: copyWeights(weights), measurements: {} }),
  };
}
