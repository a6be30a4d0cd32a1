import * as tf from '@tensorflow/tfjs';

let loading: Promise<void> | undefined;

/**
 * Loads `@tensorflow/tfjs-backend-wasm`, which registers the `wasm` backend and
 * its kernels with tfjs as a side effect of being imported. It is imported here,
 * lazily, so that importing `@fedkit/runtime-wasm` changes nothing in tfjs until a
 * runtime is checked or activated. In Node the backend reads its `.wasm` binaries
 * from its own `dist/` folder with `fs`: no network and no `setWasmPaths` needed.
 *
 * Resolves once; later calls return the same promise. Rejects when the package
 * cannot be imported (not installed, or a tfjs version it does not accept).
 *
 * @example
 * ```ts
 * await loadWasmBackend();
 * console.log(tf.findBackendFactory('wasm') !== null); // true
 * ```
 */
export function loadWasmBackend(): Promise<void> {
  if (tf.findBackendFactory('wasm') !== null) return Promise.resolve();
  loading ??= import('@tensorflow/tfjs-backend-wasm').then(
    () => undefined,
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}
