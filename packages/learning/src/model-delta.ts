import type * as tf from '@tensorflow/tfjs';

/**
 * `initial − trained` per trainable weight: the update FedAvg-style clients send (TFF HEAD sign), written into
 * `into` when given (one array per weight, of its length), else into new arrays.
 */
export function modelDelta(initial: readonly Float32Array[], trained: readonly tf.Variable[], into?: readonly Float32Array[]): Float32Array[] {
  if (into !== undefined && (into.length !== initial.length || into.some((a, i) => a.length !== initial[i]!.length))) {
    throw new RangeError(`modelDelta: the arrays to write into have lengths [${into.map((a) => a.length).join(',')}], the weights [${initial.map((a) => a.length).join(',')}].`);
  }
  return trained.map((v, i) => {
    const t = v.dataSync();
    const init = initial[i]!;
    const out = into?.[i] ?? new Float32Array(init.length);
    for (let k = 0; k < out.length; k++) out[k] = init[k]! - t[k]!;
    return out;
  });
}
