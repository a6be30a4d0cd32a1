import * as tf from '@tensorflow/tfjs';

import { ValueError } from './errors.js';
import type { Model } from './model.js';

/** Weights as plain arrays: for transfer between workers and for checkpoints. */
export interface ModelWeightArrays {
  readonly trainable: Float32Array[];
  readonly nonTrainable: Float32Array[];
  readonly trainableShapes: number[][];
  readonly nonTrainableShapes: number[][];
}

/** A fedkit Model or a tfjs LayersModel: anything whose weights can be read and assigned. */
export type WeightsHolder = Model | tf.LayersModel;

/**
 * A snapshot of a model's weights (TFF's `ModelWeights`): trainable and
 * non-trainable tensors, in Keras order. The tensors are owned by this object:
 * call `dispose()` when done.
 *
 * @example
 * ```ts
 * const w = ModelWeights.fromModel(model);   // snapshot, not the live variables
 * w.assignWeightsTo(otherKerasModel);         // matched by position, not by name
 * w.dispose();
 * ```
 */
export class ModelWeights {
  constructor(
    readonly trainable: tf.Tensor[],
    readonly nonTrainable: tf.Tensor[],
  ) {}

  /** Copies the current values of a model's variables (tfjs's `getWeights()` returns live variables). */
  static fromModel(model: WeightsHolder): ModelWeights {
    const { trainable, nonTrainable } = variablesOf(model);
    return new ModelWeights(
      trainable.map((v) => tf.clone(v)),
      nonTrainable.map((v) => tf.clone(v)),
    );
  }

  /** Rebuilds weights from arrays made by {@link ModelWeights.toArrays}. */
  static fromArrays(arrays: ModelWeightArrays): ModelWeights {
    if (arrays.trainable.length !== arrays.trainableShapes.length || arrays.nonTrainable.length !== arrays.nonTrainableShapes.length) {
      throw new ValueError(
        `ModelWeights.fromArrays expects one shape per array, found ${arrays.trainable.length} trainable arrays for ` +
          `${arrays.trainableShapes.length} shapes and ${arrays.nonTrainable.length} non-trainable arrays for ${arrays.nonTrainableShapes.length} shapes.`,
      );
    }
    return new ModelWeights(
      arrays.trainable.map((a, i) => tf.tensor(a, arrays.trainableShapes[i])),
      arrays.nonTrainable.map((a, i) => tf.tensor(a, arrays.nonTrainableShapes[i])),
    );
  }

  /** Copies the values into Float32Arrays (one per variable) with their shapes. */
  toArrays(): ModelWeightArrays {
    return {
      trainable: this.trainable.map((t) => Float32Array.from(t.dataSync())),
      nonTrainable: this.nonTrainable.map((t) => Float32Array.from(t.dataSync())),
      trainableShapes: this.trainable.map((t) => [...t.shape]),
      nonTrainableShapes: this.nonTrainable.map((t) => [...t.shape]),
    };
  }

  /**
   * Assigns these values to a model's variables, matched by position (tfjs
   * renames variables of cloned models, so names cannot be trusted).
   * @throws ValueError when the number of variables or a shape differs.
   */
  assignWeightsTo(target: WeightsHolder): void {
    const { trainable, nonTrainable } = variablesOf(target);
    assignAll('trainable', this.trainable, trainable);
    assignAll('non-trainable', this.nonTrainable, nonTrainable);
  }

  /** Disposes every tensor of this snapshot. */
  dispose(): void {
    for (const t of [...this.trainable, ...this.nonTrainable]) t.dispose();
  }
}

function variablesOf(model: WeightsHolder): { trainable: tf.Variable[]; nonTrainable: tf.Variable[] } {
  if (model instanceof tf.LayersModel) {
    return {
      trainable: model.trainableWeights.map((w) => w.read() as tf.Variable),
      nonTrainable: model.nonTrainableWeights.map((w) => w.read() as tf.Variable),
    };
  }
  return { trainable: model.trainableVariables, nonTrainable: model.nonTrainableVariables };
}

function assignAll(what: string, values: readonly tf.Tensor[], variables: readonly tf.Variable[]): void {
  if (values.length !== variables.length) {
    throw new ValueError(
      `Cannot assign ${values.length} ${what} weights to a model with ${variables.length} ${what} variables; ` +
        'the weights must come from a model with the same architecture.',
    );
  }
  values.forEach((value, i) => {
    const variable = variables[i]!;
    if (!tf.util.arraysEqual(value.shape, variable.shape)) {
      throw new ValueError(
        `The ${what} weight ${i} has shape [${value.shape.join(',')}] but variable "${variable.name}" has shape [${variable.shape.join(',')}].`,
      );
    }
    if (value.dtype === variable.dtype) {
      variable.assign(value);
    } else {
      const cast = tf.cast(value, variable.dtype);
      variable.assign(cast);
      cast.dispose();
    }
  });
}
