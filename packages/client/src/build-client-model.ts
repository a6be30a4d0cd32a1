import * as tf from '@tensorflow/tfjs';

import { createFedkitContainer, resolveMetric, TensorSpec, type Model } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { registerLosses } from '@fedkit/losses';
import { registerMetrics } from '@fedkit/metrics';

import type { TaskDescription } from './protocol-messages.js';

/** A model built from a server's task description, with what frees it. */
export interface ClientModel {
  readonly model: Model;
  dispose(): void;
}

/**
 * Builds the model a federation trains from its {@link TaskDescription}: the
 * tfjs-layers topology, the loss and metrics by registered name, and the
 * input spec. Weights are whatever the topology's initializers give; every
 * task overwrites them with the broadcast ones.
 * @example
 * ```ts
 * const { model, dispose } = await buildClientModel(welcome.task);
 * ```
 */
export async function buildClientModel(task: TaskDescription): Promise<ClientModel> {
  const container = registerMetrics(registerLosses(createFedkitContainer()));
  const keras = await tf.models.modelFromJSON({ modelTopology: JSON.parse(task.modelTopology) as tf.io.ModelJSON['modelTopology'] });
  const spec = (s: TaskDescription['inputSpec']['x']): TensorSpec => new TensorSpec(s.shape, s.dtype);
  const model = fromKerasModel(keras, {
    loss: task.loss,
    container,
    inputSpec: { x: spec(task.inputSpec.x), y: spec(task.inputSpec.y) },
    metrics: task.metrics.map((name) => () => resolveMetric(container, name)),
  });
  return {
    model,
    dispose: () => {
      for (const v of model.localVariables) v.dispose();
      keras.dispose();
    },
  };
}
