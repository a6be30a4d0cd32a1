import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { heapOffset, simdKernelsFor } from './simd-kernels.js';

/**
 * Rows of `a` up to which the small-batch kernel always runs. Measured on the 2-core host
 * (`node packages/runtime-wasm/bench/small-mat-mul.mjs`): with a new `b` each call (every SGD step)
 * stock XNNPACK spends most of its time packing `b` (0.58 ms vs 0.12 ms at 10 x 784 x 200); with `b`
 * already packed (the same weights batch after batch, as in evaluation) this kernel is 10-20% ahead
 * up to 32 rows, and from 50 rows the two are even, so XNNPACK keeps what it has packed.
 */
export const SMALL_MAT_MUL_MAX_ROWS = 32;

let enabled = true;

/**
 * Turns the small-batch matmul path on (the default) or off in this thread,
 * e.g. to compare with XNNPACK alone in a benchmark. Results do not change:
 * both paths give the same bits.
 */
export function setSmallMatMulEnabled(on: boolean): void {
  enabled = on;
}

/** Whether the small-batch matmul path is on in this thread (see {@link setSmallMatMulEnabled}). */
export function smallMatMulEnabled(): boolean {
  return enabled;
}

/** The `b` operands the small-batch kernel has already seen (see {@link useSmallMatMul}). */
const seen = new WeakSet<object>();

/**
 * Whether `a · b` (plain layout, float32, every batch dimension 1) should run
 * on the small-batch kernel: always up to {@link SMALL_MAT_MUL_MAX_ROWS} rows;
 * above that only the first time this `b` is seen: from 50 rows XNNPACK's
 * packed copy of a `b` used again (evaluation batches over fixed weights) is
 * as fast as reading `b` in place, so it keeps what it packed.
 */
export function useSmallMatMul(a: tf.TensorInfo, b: tf.TensorInfo, backend: BackendWasm): boolean {
  if (!enabled) return false;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return false;
  if (a.shape.slice(0, -2).some((d) => d !== 1) || b.shape.slice(0, -2).some((d) => d !== 1)) return false;
  if (simdKernelsFor(backend) === undefined) return false;
  const first = !seen.has(b.dataId);
  seen.add(b.dataId);
  return first || a.shape[a.shape.length - 2]! <= SMALL_MAT_MUL_MAX_ROWS;
}

/**
 * `a · b (+ bias)`, optionally through relu, on the small-batch kernel: `a`
 * is `[1.., M, K]`, `b` is `[1.., K, N]`, bias (if any) has N values; the
 * result is `[1.., M, N]` with the larger of the two ranks, like the stock
 * kernel's. Equal to stock XNNPACK's result to the bit (same order of f32
 * operations), without packing `b`. The caller checks {@link useSmallMatMul}.
 */
export function smallMatMul(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  bias: tf.TensorInfo | undefined,
  relu: boolean,
  backend: BackendWasm,
): tf.TensorInfo {
  const { matmul } = simdKernelsFor(backend)!;
  const m = a.shape[a.shape.length - 2]!;
  const k = a.shape[a.shape.length - 1]!;
  const n = b.shape[b.shape.length - 1]!;
  if (b.shape[b.shape.length - 2] !== k) {
    throw new Error(`Error in matMul: inner shapes (${k}) and (${b.shape[b.shape.length - 2]}) of Tensors with shapes ${JSON.stringify(a.shape)} and ${JSON.stringify(b.shape)} must match.`);
  }
  const rank = Math.max(a.shape.length, b.shape.length);
  const out = backend.makeOutput([...Array<number>(rank - 2).fill(1), m, n], 'float32');
  if (m * n === 0) return out;
  // Offsets are read after makeOutput: allocating may grow the heap, which keeps offsets but not views.
  matmul(heapOffset(a, backend), heapOffset(b, backend), bias === undefined ? 0 : heapOffset(bias, backend), heapOffset(out, backend), m, k, n, relu ? 1 : 0, 0, 0);
  return out;
}
