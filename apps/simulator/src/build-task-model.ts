import type { Model } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import type * as tf from '@tensorflow/tfjs';

import type { TaskDefinition } from './task.js';

/**
 * Makes a `modelFn` for a task and remembers every Keras model it built, so
 * that `dispose()` frees their variables when the run is over.
 * @example
 * ```ts
 * const models = taskModelFactory(task, 0);
 * const process = buildWeightedFedAvg({ modelFn: models.modelFn, clientOptimizerFn });
 * models.dispose();
 * ```
 */
export function taskModelFactory(task: TaskDefinition, seed: number): { modelFn: () => Model; keras: tf.LayersModel[]; dispose(): void } {
  const keras: tf.LayersModel[] = [];
  const models: Model[] = [];
  return {
    keras,
    modelFn: () => {
      const k = task.createKerasModel(seed);
      keras.push(k);
      const model = fromKerasModel(k, { loss: task.loss, inputSpec: task.inputSpec, metrics: task.metrics });
      models.push(model);
      return model;
    },
    dispose: () => {
      // The Keras model owns the weights; the fedkit wrapper owns the metric variables.
      for (const m of models.splice(0)) for (const v of m.localVariables) v.dispose();
      for (const k of keras.splice(0)) k.dispose();
    },
  };
}
