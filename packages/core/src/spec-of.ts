import { isTensorLike, type TensorStructure } from './batch.js';
import { describe } from './resolve-loss.js';
import type { Spec } from './spec.js';
import { StructSpec } from './struct-spec.js';
import { TensorSpec } from './tensor-spec.js';

/**
 * The spec of a tensor or of a nested array/record of tensors; the batch
 * dimension is kept as it is (call `withUnknownBatch` to relax it).
 *
 * @example
 * ```ts
 * specOf({ x: tf.zeros([2, 3]), y: tf.zeros([2, 1], 'int32') }).toString(); // '<x=float32[2,3],y=int32[2,1]>'
 * ```
 */
export function specOf(value: TensorStructure | { readonly x: TensorStructure; readonly y?: TensorStructure }): Spec {
  if (isTensorLike(value)) return new TensorSpec(value.shape, value.dtype);
  if (Array.isArray(value)) return new StructSpec((value as readonly TensorStructure[]).map((v) => specOf(v)));
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const record: Record<string, Spec> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) record[k] = specOf(v as TensorStructure);
    }
    return new StructSpec(record);
  }
  throw new TypeError(`specOf expects a tensor or an array/record of tensors, found ${describe(value)}.`);
}
