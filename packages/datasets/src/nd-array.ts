import * as tf from '@tensorflow/tfjs';
import { StructSpec, TensorSpec, ValueError } from '@fedkit/core';

/** The typed arrays an {@link NdArray} may hold: float32 features or int32 labels / token ids. */
export type NdArrayData = Float32Array | Int32Array;

/**
 * A plain n-dimensional array: a flat typed array in row-major order and its
 * shape. This is how examples and batches travel before they become tensors, so
 * they can be posted to a worker thread (`postMessage(el, [el.x.data.buffer])`)
 * without tfjs.
 */
export interface NdArray {
  readonly data: NdArrayData;
  readonly shape: readonly number[];
}

/**
 * One element of a {@link ClientDataset} as plain arrays: one example (shape
 * `[784]` / `[1]` for MNIST) or, after `batch(n)`, one batch (`[n, 784]` / `[n, 1]`).
 *
 * Porting note: TFF's datasets yield arbitrary nested structures; fedkit's
 * elements are always `{ x, y }`, the shape of core's `Batch`.
 */
export interface ArrayElement {
  readonly x: NdArray;
  readonly y: NdArray;
}

/** A batch of tensors made from an {@link ArrayElement}; whoever receives it disposes both tensors. */
export interface TensorBatch {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
}

/**
 * The tfjs dtype of a typed array.
 * @example
 * ```ts
 * dtypeOf(new Int32Array(2)); // 'int32'
 * ```
 */
export function dtypeOf(data: NdArrayData): 'float32' | 'int32' {
  return data instanceof Int32Array ? 'int32' : 'float32';
}

/** Number of scalars in an array of the given shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The {@link StructSpec} `<x=...,y=...>` describing `element`. */
export function elementSpecOf(element: ArrayElement): StructSpec {
  return new StructSpec({
    x: new TensorSpec(element.x.shape, dtypeOf(element.x.data)),
    y: new TensorSpec(element.y.shape, dtypeOf(element.y.data)),
  });
}

/**
 * Builds new tensors from an element. Views into a larger buffer are copied
 * first, because tfjs's CPU backend keeps the array it is given: a tensor over a
 * view would alias the shared data set.
 */
export function toTensors(element: ArrayElement): TensorBatch {
  return { x: toTensor(element.x, 'x'), y: toTensor(element.y, 'y') };
}

function toTensor(a: NdArray, key: string): tf.Tensor {
  if (a.data.length !== sizeOf(a.shape)) {
    throw new ValueError(
      `Element '${key}' has ${a.data.length} values but shape [${a.shape.join(',')}] needs ${sizeOf(a.shape)}; ` +
        'a map function must return data whose length matches its shape.',
    );
  }
  const owned = a.data.byteOffset === 0 && a.data.byteLength === a.data.buffer.byteLength;
  return tf.tensor(owned ? a.data : a.data.slice(), [...a.shape], dtypeOf(a.data));
}

/** The tensor spec of one key of a {@link StructSpec} element (`x` or `y`). */
export function specOfKey(spec: StructSpec, key: 'x' | 'y'): TensorSpec {
  const s = spec.get(key);
  if (!(s instanceof TensorSpec)) {
    throw new ValueError(`A client dataset's element spec must be <x=tensor,y=tensor>, found ${spec.toString()}.`);
  }
  return s;
}
