import * as tf from '@tensorflow/tfjs';

import { makeBatchMatMulWasm } from './batch-mat-mul.js';
import { conv2DBackpropFilterWasm } from './conv2d-backprop-filter.js';
import { makeConv2DBackpropInputWasm } from './conv2d-backprop-input.js';

/** Marks the kernel functions installed here, so a second install (even from another copy of this package) is a no-op. */
const FEDKIT_KERNEL = Symbol.for('fedkit.runtime-wasm.trainingKernel');

/** The kernels {@link installWasmTrainingKernels} replaces or adds for the wasm backend. */
export const WASM_TRAINING_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'BatchMatMul'] as const;

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
 * conv, and a `BatchMatMul` that transposes operands before the product.
 * Kernels of other backends (cpu, webgl) are untouched.
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
}

/**
 * Undoes {@link installWasmTrainingKernels}: puts the stock wasm kernels back
 * (and removes `Conv2DBackpropFilter`, which stock wasm lacks). A no-op for
 * kernels that are not installed. Meant for benchmarks and tests comparing with
 * stock wasm.
 */
export function uninstallWasmTrainingKernels(): void {
  for (const name of WASM_TRAINING_KERNELS) {
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
