/**
 * @packageDocumentation
 * fedkit's GPU runtimes: `tensorflow-gpu` (CUDA through @tensorflow/tfjs-node-gpu)
 * and `webgpu` (Dawn through the `webgpu` package), each loaded lazily and honest
 * about why it cannot run; plus batched local training of many clients on one device.
 * Importing this module has no side effect.
 */
export { registerGpuRuntime, type GpuRuntimeOptions } from './register-gpu-runtime.js';
export { TensorflowGpuRuntime, TFJS_NODE_GPU_PACKAGE, type TensorflowGpuRuntimeOptions } from './tensorflow-gpu-runtime.js';
export { WebGpuRuntime, WEBGPU_PACKAGE, TFJS_WEBGPU_BACKEND_PACKAGE, type WebGpuRuntimeOptions } from './webgpu-runtime.js';
export type { ModuleImporter } from './module-importer.js';
export {
  trainClientsBatched,
  type DenseLayerWeights,
  type ClientExamples,
  type BatchedTrainingOptions,
  type BatchedTrainingResult,
} from './train-clients-batched.js';
