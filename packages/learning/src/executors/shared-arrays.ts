import type { LabeledArrays, ModelWeightArrays } from '@fedkit/core';

/** {@link LabeledArrays} whose buffers are shared memory, as they cross to worker threads. */
export interface SharedLabeledArrays {
  readonly x: SharedArrayBuffer;
  readonly y: SharedArrayBuffer;
  readonly yInt: boolean;
  readonly numExamples: number;
  readonly exampleShape: readonly number[];
  readonly labelShape: readonly number[];
}

function share(a: Float32Array | Int32Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(a.byteLength);
  new Uint8Array(sab).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return sab;
}

/** Copies `data` once into shared memory (every worker then reads the same bytes). */
export function toShared(data: LabeledArrays): SharedLabeledArrays {
  return {
    x: share(data.x),
    y: share(data.y),
    yInt: data.y instanceof Int32Array,
    numExamples: data.numExamples,
    exampleShape: [...data.exampleShape],
    labelShape: [...(data.labelShape ?? [])],
  };
}

/** Views over shared buffers made by {@link toShared}. */
export function fromShared(s: SharedLabeledArrays): LabeledArrays {
  return {
    x: new Float32Array(s.x),
    y: s.yInt ? new Int32Array(s.y) : new Float32Array(s.y),
    numExamples: s.numExamples,
    exampleShape: s.exampleShape,
    labelShape: s.labelShape,
  };
}

/**
 * `weights` copied once into one shared buffer: every worker reads the same
 * bytes, so a round's weights cross to the workers once instead of as a copy
 * per client. `into` is reused when it has exactly the size needed (the worker
 * pool hands back the buffer of a round whose clients have all reported), else
 * a new buffer is made. Nobody writes the buffer while a round uses it (tfjs
 * never writes into the arrays a tensor was made from), so the views stay equal
 * to `weights` until the pool reuses it.
 */
export function shareWeights(weights: ModelWeightArrays, into?: SharedArrayBuffer): ModelWeightArrays {
  const arrays = [...weights.trainable, ...weights.nonTrainable];
  const bytes = sharedWeightBytes(weights);
  const sab = into?.byteLength === bytes ? into : new SharedArrayBuffer(bytes);
  let offset = 0;
  const views = arrays.map((a) => {
    const view = new Float32Array(sab, offset, a.length);
    view.set(a);
    offset += a.byteLength;
    return view;
  });
  return { ...weights, trainable: views.slice(0, weights.trainable.length), nonTrainable: views.slice(weights.trainable.length) };
}

/** The bytes of the shared buffer {@link shareWeights} puts `weights` in. */
export function sharedWeightBytes(weights: ModelWeightArrays): number {
  return [...weights.trainable, ...weights.nonTrainable].reduce((n, a) => n + a.byteLength, 0);
}
