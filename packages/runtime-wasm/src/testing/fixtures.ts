import * as tf from '@tensorflow/tfjs';

/** Deterministic uniform values in [-0.5, 0.5) (a 31-bit LCG), so both backends see identical inputs. */
export function seededValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    out[i] = s / 0x80000000 - 0.5;
  }
  return out;
}

/**
 * Norm-wise relative error `max|got − want| / max|want|`. Element-wise relative
 * error is meaningless for entries near zero, which gradients are full of.
 */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) throw new Error(`length ${got.length} != ${want.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Live tensors (engine) and live data buffers (active backend): both must stay flat. */
export function liveCounts(): { tensors: number; buffers: number } {
  return { tensors: tf.memory().numTensors, buffers: tf.backend().numDataIds() };
}
