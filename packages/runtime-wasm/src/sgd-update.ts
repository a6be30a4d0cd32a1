import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { SGD_UPDATE_KERNEL } from '@fedkit/core';

import { heapOffset, simdKernelsFor } from './simd-kernels.js';
import { disposeInfo, runWasmKernel } from './wasm-kernel-calls.js';

/**
 * The wasm kernel of fedkit's fused SGD step (`SGD_UPDATE_KERNEL` from
 * `@fedkit/core`): `value + c · gradient` in one pass over the weights, where
 * tfjs's SGD runs a Multiply and an Add, each allocating a weight-sized
 * tensor. Same f32 roundings (the product, then the sum), so the same bits.
 * Without the SIMD kernels (no wasm SIMD, threaded build) it runs the stock
 * Multiply and Add.
 */
export function sgdUpdateWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { value, gradient } = args.inputs as { value: tf.TensorInfo; gradient: tf.TensorInfo };
  const c = (args.attrs as { c: number }).c;
  const backend = args.backend as BackendWasm;
  if (value.dtype !== 'float32' || gradient.dtype !== 'float32' || !tf.util.arraysEqual(value.shape, gradient.shape)) {
    throw new TypeError(
      `${SGD_UPDATE_KERNEL} expects float32 value and gradient of the same shape, found ${value.dtype} ${JSON.stringify(value.shape)} ` +
        `and ${gradient.dtype} ${JSON.stringify(gradient.shape)}; callers fall back to tfjs's Multiply and Add for anything else.`,
    );
  }
  const kernels = simdKernelsFor(backend);
  if (kernels === undefined) {
    const factor = backend.makeOutput([], 'float32', undefined, new Float32Array([c]));
    const scaled = runWasmKernel('Multiply', { a: factor, b: gradient }, backend, {});
    try {
      return runWasmKernel('Add', { a: scaled, b: value }, backend, {});
    } finally {
      disposeInfo(factor, backend);
      disposeInfo(scaled, backend);
    }
  }
  const out = backend.makeOutput([...value.shape], 'float32');
  const n = tf.util.sizeFromShape(value.shape);
  if (n > 0) kernels.sgd_update(heapOffset(value, backend), heapOffset(gradient, backend), heapOffset(out, backend), n, c);
  return out;
}
