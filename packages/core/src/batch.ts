import type * as tf from '@tensorflow/tfjs';

import { ValueError } from './errors.js';

/** A tensor, or arrays / records of them nested to any depth. */
export type TensorStructure = tf.Tensor | readonly TensorStructure[] | { readonly [name: string]: TensorStructure };

/**
 * One batch of a client's data: features `x` and labels `y` (absent for
 * prediction). A 2-element array `[x, y]` is accepted too, as in TFF.
 * The consumer of a batch (the training loop) disposes its tensors.
 */
export type Batch = { readonly x: TensorStructure; readonly y?: TensorStructure } | readonly [TensorStructure, TensorStructure];

/** A batch in its `{ x, y }` form. */
export interface NamedBatch {
  readonly x: TensorStructure;
  readonly y?: TensorStructure;
}

/**
 * Returns `batch` in its `{ x, y }` form.
 * @throws ValueError when an array batch does not have exactly two elements.
 */
export function normalizeBatch(batch: Batch): NamedBatch {
  if (Array.isArray(batch)) {
    if (batch.length !== 2) {
      throw new ValueError(
        `A batch given as an array must be [x, y] (2 elements), found ${batch.length} elements. Pass { x, y } instead.`,
      );
    }
    return { x: batch[0] as TensorStructure, y: batch[1] as TensorStructure };
  }
  return batch as NamedBatch;
}

/** Every tensor in a structure, depth first, in key/index order. */
export function flattenTensors(value: TensorStructure | undefined): tf.Tensor[] {
  if (value === undefined) return [];
  if (isTensorLike(value)) return [value];
  if (Array.isArray(value)) return (value as readonly TensorStructure[]).flatMap((v) => flattenTensors(v));
  return Object.values(value as Record<string, TensorStructure>).flatMap((v) => flattenTensors(v));
}

/** Disposes every tensor of a batch. */
export function disposeBatch(batch: Batch): void {
  const { x, y } = normalizeBatch(batch);
  for (const t of [...flattenTensors(x), ...flattenTensors(y)]) t.dispose();
}

/** True for a tfjs tensor (duck-typed, so tensors from another tfjs copy are recognized too). */
export function isTensorLike(value: unknown): value is tf.Tensor {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as tf.Tensor).shape) &&
    typeof (value as tf.Tensor).dtype === 'string' &&
    typeof (value as tf.Tensor).dataSync === 'function'
  );
}
