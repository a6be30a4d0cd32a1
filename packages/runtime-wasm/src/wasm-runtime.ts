import type { RuntimePlugin } from '@fedkit/core';
import * as tf from '@tensorflow/tfjs';

import { loadWasmBackend } from './load-wasm-backend.js';
import { installWasmTrainingKernels, uninstallWasmTrainingKernels } from './wasm-training-kernels.js';

/** Options of {@link WasmRuntime} and {@link activateWasm}. */
export interface WasmRuntimeOptions {
  /**
   * Register fedkit's training kernels for wasm (default `true`). Without them
   * wasm cannot train Conv2D models and its dense-layer gradients are slow;
   * `false` gives tfjs's wasm backend as shipped, for comparisons: kernels
   * installed earlier in this process (tfjs has one kernel registry) are removed.
   */
  readonly trainingKernels?: boolean;
}

/**
 * Makes tfjs's wasm backend (XNNPACK, SIMD where the engine has it) the active
 * backend, with fedkit's training kernels registered for it unless
 * `trainingKernels` is `false`. Usable where no container exists, e.g. at the
 * top of a `worker_threads` worker, each of which has its own tfjs.
 *
 * @throws Error when `@tensorflow/tfjs-backend-wasm` cannot be loaded or the
 *   backend fails to initialize (`tf.setBackend('wasm')` resolving false).
 * @example
 * ```ts
 * // worker.mjs
 * import { activateWasm } from '@fedkit/runtime-wasm';
 * await activateWasm();
 * console.log(tf.getBackend()); // 'wasm'
 * ```
 */
export async function activateWasm(options: WasmRuntimeOptions = {}): Promise<void> {
  try {
    await loadWasmBackend();
  } catch (e) {
    throw new Error(
      `Cannot load @tensorflow/tfjs-backend-wasm (${(e as Error).message}). Install it next to @tensorflow/tfjs 4.22 ` +
        '(npm install @tensorflow/tfjs-backend-wasm@4.22.0), or pick another runtime.',
      { cause: e },
    );
  }
  // Before setBackend, so that a first initialization runs the kernels' setup through tfjs's normal path.
  if (options.trainingKernels ?? true) installWasmTrainingKernels();
  else uninstallWasmTrainingKernels();
  const ok = await tf.setBackend('wasm');
  if (!ok) {
    throw new Error(
      "tf.setBackend('wasm') returned false: the wasm backend failed to initialize (see the tfjs warning above; " +
        'usually its .wasm binaries could not be read from node_modules/@tensorflow/tfjs-backend-wasm/dist). ' +
        'Use the cpu runtime, or reinstall @tensorflow/tfjs-backend-wasm.',
    );
  }
}

/**
 * fedkit's `wasm` runtime: tfjs's WebAssembly backend plus training kernels, the
 * fastest CPU runtime in Node without native bindings (4-20x the cpu backend on
 * dense models, and the only pure-JS way to train a CNN at useful speed).
 * Priority 10, above the built-in `cpu` runtime (0), so `selectRuntime(c, 'auto')`
 * picks it when registered.
 *
 * @example
 * ```ts
 * const container = registerWasmRuntime(createFedkitContainer());
 * const { message } = await selectRuntime(container, 'auto');
 * console.log(message); // runtime: wasm (priority 10); not chosen: cpu (lower priority)
 * ```
 */
export class WasmRuntime implements RuntimePlugin {
  readonly name = 'wasm';
  readonly priority = 10;
  readonly device = 'cpu' as const;
  private reason: string | undefined;

  constructor(private readonly options: WasmRuntimeOptions = {}) {}

  /** Whether WebAssembly exists and the wasm backend package loads; never throws. */
  async isAvailable(): Promise<boolean> {
    if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'object') {
      this.reason = 'this JavaScript engine has no WebAssembly';
      return false;
    }
    try {
      await loadWasmBackend();
    } catch (e) {
      this.reason = `@tensorflow/tfjs-backend-wasm could not be loaded: ${(e as Error).message}`;
      return false;
    }
    if (tf.findBackendFactory('wasm') === null) {
      this.reason = "@tensorflow/tfjs-backend-wasm loaded but registered no 'wasm' backend (another tfjs copy?)";
      return false;
    }
    this.reason = undefined;
    return true;
  }

  unavailableReason(): string | undefined {
    return this.reason;
  }

  /** Loads the backend, installs the training kernels (unless disabled) and makes wasm the active backend. */
  async activate(): Promise<void> {
    await activateWasm(this.options);
  }
}
