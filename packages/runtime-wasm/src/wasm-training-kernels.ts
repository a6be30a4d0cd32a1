import * as tf from '@tensorflow/tfjs';
import { DENSE_SGD_STEP_KERNEL, SGD_UPDATE_KERNEL } from '@fedkit/core';

import { makeBatchMatMulWasm } from './batch-mat-mul.js';
import { conv2DBackpropFilterWasm } from './conv2d-backprop-filter.js';
import { makeConv2DBackpropInputWasm } from './conv2d-backprop-input.js';
import { isDelegable, makeCpuDelegateKernel } from './cpu-delegate-kernel.js';
import { denseSgdStepWasm } from './dense-sgd-step.js';
import { depthwiseConv2DBackpropFilterWasm } from './depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2DBackpropInputWasm } from './depthwise-conv2d-backprop-input.js';
import { makeFusedMatMulWasm } from './fused-mat-mul.js';
import { makeIdentityWasm } from './identity.js';
import { sgdUpdateWasm } from './sgd-update.js';
import { makeTileWasm } from './tile.js';

/** Marks the kernel functions installed here, so a second install (even from another copy of this package) is a no-op. */
const FEDKIT_KERNEL = Symbol.for('fedkit.runtime-wasm.trainingKernel');

/**
 * Kernels that stock wasm lacks or computes wrongly and that run on the cpu
 * backend's kernel instead (see `makeCpuDelegateKernel`), each found by the
 * training-parity suite:
 * - `UnsortedSegmentSum`: missing (the gradient of `gather`, i.e. of Embedding);
 * - `MaxPoolGrad`, `MaxPool3D`, `MaxPool3DGrad`, `ResizeNearestNeighborGrad`,
 *   `Conv3DBackpropInputV2`, `Conv3DBackpropFilterV2`: present but wrong in
 *   tfjs-backend-wasm 4.22 for some shapes (e.g. 3 channels), so MaxPooling,
 *   nearest UpSampling2D and Conv3D layers would train to different weights.
 */
export const WASM_CPU_DELEGATED_KERNELS = [
  'UnsortedSegmentSum',
  'MaxPoolGrad',
  'MaxPool3D',
  'MaxPool3DGrad',
  'ResizeNearestNeighborGrad',
  'Conv3DBackpropInputV2',
  'Conv3DBackpropFilterV2',
] as const;

/** The kernels {@link installWasmTrainingKernels} replaces or adds for the wasm backend. */
export const WASM_TRAINING_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'BatchMatMul',
  '_FusedMatMul',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'Tile',
  'Identity',
  SGD_UPDATE_KERNEL,
  DENSE_SGD_STEP_KERNEL,
  ...WASM_CPU_DELEGATED_KERNELS,
] as const;

interface Marked {
  [FEDKIT_KERNEL]?: { stock: tf.KernelConfig | undefined };
}

function mark(fn: tf.KernelFunc, stock: tf.KernelConfig | undefined): tf.KernelFunc {
  (fn as Marked)[FEDKIT_KERNEL] = { stock };
  return fn;
}

function installedRecord(kernelName: string): { stock: tf.KernelConfig | undefined } | undefined {
  const current = tf.getKernel(kernelName, 'wasm');
  return current === undefined ? undefined : (current.kernelFunc as Marked)[FEDKIT_KERNEL];
}

/**
 * Registers fedkit's training kernels for the wasm backend only, so any
 * tfjs-layers model trains on it, and fast: `Conv2DBackpropFilter` (absent in
 * stock wasm), a `Conv2DBackpropInput` that runs stride-1 cases as a forward
 * conv, a `BatchMatMul` that transposes operands before the product, a
 * small-batch path for `BatchMatMul` and `_FusedMatMul` that never repacks the
 * weights SGD replaces every step, fedkit's fused SGD step (`SGD_UPDATE_KERNEL`)
 * and whole training step of a Dense stack (`DENSE_SGD_STEP_KERNEL`),
 * an `Identity` that shares memory instead of copying it, the
 * depthwise-conv gradients (absent in stock wasm), and cpu-backed versions of
 * the kernels in {@link WASM_CPU_DELEGATED_KERNELS}. Kernels the cpu backend has
 * and wasm lacks also run on cpu, with a warning at first use. Kernels of other
 * backends (cpu, webgl) are untouched.
 *
 * Idempotent: kernels already installed are left as they are. Needs the wasm
 * kernels to be registered, i.e. `@tensorflow/tfjs-backend-wasm` imported
 * (see `loadWasmBackend`); the backend itself need not be initialized yet.
 *
 * @throws Error when the stock wasm kernels are not registered.
 * @example
 * ```ts
 * await loadWasmBackend();
 * installWasmTrainingKernels();
 * await tf.setBackend('wasm'); // Conv2D models now train on wasm
 * ```
 */
export function installWasmTrainingKernels(): void {
  const stockConv = tf.getKernel('Conv2D', 'wasm');
  if (stockConv === undefined) {
    throw new Error(
      "The wasm backend's kernels are not registered (no 'Conv2D' kernel for 'wasm'). " +
        'Import @tensorflow/tfjs-backend-wasm first, e.g. with `await loadWasmBackend()`.',
    );
  }
  install('Conv2DBackpropFilter', () => conv2DBackpropFilterWasm);
  install('Conv2DBackpropInput', (stock) => makeConv2DBackpropInputWasm(required(stock, 'Conv2DBackpropInput')));
  install('BatchMatMul', (stock) => makeBatchMatMulWasm(required(stock, 'BatchMatMul')));
  install('_FusedMatMul', (stock) => makeFusedMatMulWasm(required(stock, '_FusedMatMul')));
  install('DepthwiseConv2dNativeBackpropFilter', () => depthwiseConv2DBackpropFilterWasm);
  install('DepthwiseConv2dNativeBackpropInput', () => depthwiseConv2DBackpropInputWasm);
  install('Tile', (stock) => makeTileWasm(required(stock, 'Tile')));
  install('Identity', (stock) => makeIdentityWasm(required(stock, 'Identity')));
  install(SGD_UPDATE_KERNEL, () => sgdUpdateWasm as tf.KernelFunc);
  install(DENSE_SGD_STEP_KERNEL, () => denseSgdStepWasm as unknown as tf.KernelFunc);
  for (const name of WASM_CPU_DELEGATED_KERNELS) install(name, () => makeCpuDelegateKernel(name));
  // Any other kernel the cpu backend has and wasm lacks (none that tfjs-layers' built-in layers
  // reach today) runs on cpu too, so a model never fails for a missing kernel; it says so once.
  const onWasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  for (const { kernelName } of tf.getKernelsForBackend('cpu')) {
    if (onWasm.has(kernelName) || !isDelegable(kernelName)) continue;
    install(kernelName, () =>
      makeCpuDelegateKernel(kernelName, () =>
        console.warn(
          `@fedkit/runtime-wasm: the wasm backend has no '${kernelName}' kernel; running it on the cpu backend ` +
            '(same results, slower). Use the cpu runtime for this model if that is too slow.',
        ),
      ),
    );
  }
}

/**
 * Undoes {@link installWasmTrainingKernels}: puts the stock wasm kernels back
 * (and removes the kernels stock wasm lacks, e.g. `Conv2DBackpropFilter`). A no-op for
 * kernels that are not installed. Meant for benchmarks and tests comparing with
 * stock wasm.
 */
export function uninstallWasmTrainingKernels(): void {
  for (const { kernelName: name } of tf.getKernelsForBackend('wasm')) {
    const record = installedRecord(name);
    if (record === undefined) continue;
    tf.unregisterKernel(name, 'wasm');
    if (record.stock !== undefined) tf.registerKernel(record.stock);
  }
}

/** Whether every kernel of {@link WASM_TRAINING_KERNELS} is fedkit's for the wasm backend. */
export function wasmTrainingKernelsInstalled(): boolean {
  return WASM_TRAINING_KERNELS.every((name) => installedRecord(name) !== undefined);
}

function install(kernelName: string, build: (stock: tf.KernelFunc | undefined) => tf.KernelFunc): void {
  if (installedRecord(kernelName) !== undefined) return;
  const stock = tf.getKernel(kernelName, 'wasm');
  const config: tf.KernelConfig = {
    kernelName,
    backendName: 'wasm',
    kernelFunc: mark(build(stock?.kernelFunc), stock),
  };
  // The stock setup (cwrap of the C++ entry point) must still run when the backend initializes.
  if (stock?.setupFunc !== undefined) config.setupFunc = stock.setupFunc;
  if (stock?.disposeFunc !== undefined) config.disposeFunc = stock.disposeFunc;
  // registerKernel warns on a duplicate; unregistering first keeps the console quiet.
  if (stock !== undefined) tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(config);
}

function required(stock: tf.KernelFunc | undefined, kernelName: string): tf.KernelFunc {
  if (stock === undefined) {
    throw new Error(`The stock wasm kernel '${kernelName}' is missing; @fedkit/runtime-wasm wraps it. Is @tensorflow/tfjs-backend-wasm 4.22 installed?`);
  }
  return stock;
}
