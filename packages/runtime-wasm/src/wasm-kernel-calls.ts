import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Runs the kernel currently registered as `kernelName` for the wasm backend on
 * backend-level tensors, the way tfjs's own wasm kernels call each other (e.g.
 * its BatchMatMul calls its Reshape). The result is a bare `TensorInfo` the
 * engine does not track: the caller returns it or frees it with
 * {@link disposeInfo}. Nothing here may run a `tf.*` op: kernels run inside the
 * engine's kernel scope, where ops would be recorded on the gradient tape.
 */
export function runWasmKernel(
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  backend: BackendWasm,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel === undefined) {
    throw new Error(
      `Kernel '${kernelName}' is not registered for backend 'wasm'; @fedkit/runtime-wasm needs it to compute ` +
        'training gradients. Is @tensorflow/tfjs-backend-wasm 4.22 installed?',
    );
  }
  return kernel.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
}

/** Transposes `x` by `perm` with the wasm Transpose kernel. */
export function transposeInfo(x: tf.TensorInfo, perm: number[], backend: BackendWasm): tf.TensorInfo {
  return runWasmKernel('Transpose', { x }, backend, { perm });
}

/** The permutation swapping the last two axes of a rank-`rank` tensor. */
export function swapLastTwo(rank: number): number[] {
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** Frees an intermediate made by a kernel call (drops its reference on the wasm heap). */
export function disposeInfo(info: tf.TensorInfo, backend: BackendWasm): void {
  backend.disposeData(info.dataId);
}
