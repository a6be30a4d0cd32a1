/**
 * @packageDocumentation
 * fedkit's `wasm` runtime: tfjs's WebAssembly backend with training kernels
 * (Conv2D gradients, fast transposed matmuls) registered for wasm only.
 * Importing this package has no effect on tfjs until a runtime is activated.
 */
export { WasmRuntime, activateWasm, type WasmRuntimeOptions } from './wasm-runtime.js';
export { registerWasmRuntime } from './register-wasm-runtime.js';
export { loadWasmBackend } from './load-wasm-backend.js';
export {
  installWasmTrainingKernels,
  uninstallWasmTrainingKernels,
  wasmTrainingKernelsInstalled,
  WASM_TRAINING_KERNELS,
  WASM_CPU_DELEGATED_KERNELS,
} from './wasm-training-kernels.js';
export { setSmallMatMulEnabled, smallMatMulEnabled, SMALL_MAT_MUL_MAX_ROWS } from './small-mat-mul.js';
