import type * as tf from '@tensorflow/tfjs';

/** `initial − trained` per trainable weight: the update FedAvg-style clients send (TFF HEAD sign). */
export function modelDelta(initial: readonly Float32Array[], trained: readonly tf.Variable[]): Float32Array[] {
  return trained.map((v, i) => {
    const t = v.dataSync();
    const init = initial[i]!;
    const out = new Float32Array(init.length);
    for (let k = 0; k < out.length; k++) out[k] = init[k]! - t[k]!;
    return out;
  });
}
