import type * as tf from '@tensorflow/tfjs';
import { readHostValues } from '@fedkit/core';

/**
 * `initial − trained` per trainable weight: the update FedAvg-style clients send (TFF HEAD sign), written into
 * `into` when given (one array per weight, of its length), else into new arrays.
 */
export function modelDelta(initial: readonly Float32Array[], trained: readonly tf.Variable[], into?: readonly Float32Array[]): Float32Array[] {
  if (into !== undefined && (into.length !== initial.length || into.some((a, i) => a.length !== initial[i]!.length))) {
    throw new RangeError(`modelDelta: the arrays to write into have lengths [${into.map((a) => a.length).join(',')}], the weights [${initial.map((a) => a.length).join(',')}].`);
  }
  return trained.map((v, i) => {
    const init = initial[i]!;
    const out = into?.[i] ?? new Float32Array(init.length);
    // In place: dataSync() would copy every weight into a new array first (on wasm; 0.8 MB per client for the 2NN).
    readHostValues(v, (t) => subtract(init, t, out));
    return out;
  });
}

/** `out = a − b`, four values per iteration: a third faster than one (V8 checks the bounds once per group). */
function subtract(a: Float32Array, b: ArrayLike<number>, out: Float32Array): void {
  const n = out.length - (out.length % 4);
  let k = 0;
  for (; k < n; k += 4) {
    const d0 = a[k]! - b[k]!;
    const d1 = a[k + 1]! - b[k + 1]!;
    const d2 = a[k + 2]! - b[k + 2]!;
    const d3 = a[k + 3]! - b[k + 3]!;
    out[k] = d0;
    out[k + 1] = d1;
    out[k + 2] = d2;
    out[k + 3] = d3;
  }
  for (; k < out.length; k++) out[k] = a[k]! - b[k]!;
}
