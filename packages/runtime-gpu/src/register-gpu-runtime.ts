import { RUNTIME_PLUGIN, registerPlugin } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

import type { ModuleImporter } from './module-importer.js';
import { TensorflowGpuRuntime } from './tensorflow-gpu-runtime.js';
import { WebGpuRuntime } from './webgpu-runtime.js';

/** Options of {@link registerGpuRuntime}. */
export interface GpuRuntimeOptions {
  /** Priority of `tensorflow-gpu` (default 100). */
  readonly tensorflowGpuPriority?: number;
  /** Priority of `webgpu` (default 50). */
  readonly webgpuPriority?: number;
  /** Dawn options for `webgpu`'s `create()`, e.g. `['backend=vulkan']`. */
  readonly dawnOptions?: readonly string[];
  /** How the GPU packages are loaded (default: dynamic `import()`); tests pass fakes here. */
  readonly importModule?: ModuleImporter;
}

/**
 * Registers fedkit's two GPU runtimes under `RUNTIME_PLUGIN`: `tensorflow-gpu`
 * (CUDA via `@tensorflow/tfjs-node-gpu`, priority 100) and `webgpu` (Dawn,
 * priority 50), both with `device: 'gpu'`. Registering loads nothing; the packages
 * are loaded when `selectRuntime` first asks whether a runtime is available.
 *
 * @returns `container`, for chaining.
 * @example
 * ```ts
 * import { createFedkitContainer, selectRuntime } from '@fedkit/core';
 * import { registerWasmRuntime } from '@fedkit/runtime-wasm';
 * import { registerGpuRuntime } from '@fedkit/runtime-gpu';
 *
 * const c = registerGpuRuntime(createFedkitContainer());
 * registerWasmRuntime(c);
 * const { message } = await selectRuntime(c, 'gpu'); // falls back to wasm, with a warning, when no GPU works
 * console.log(message);
 * ```
 */
export function registerGpuRuntime(container: DependencyContainer, options: GpuRuntimeOptions = {}): DependencyContainer {
  const shared = options.importModule === undefined ? {} : { importModule: options.importModule };
  registerPlugin(
    container,
    RUNTIME_PLUGIN,
    new TensorflowGpuRuntime({
      ...shared,
      ...(options.tensorflowGpuPriority === undefined ? {} : { priority: options.tensorflowGpuPriority }),
    }),
  );
  registerPlugin(
    container,
    RUNTIME_PLUGIN,
    new WebGpuRuntime({
      ...shared,
      ...(options.webgpuPriority === undefined ? {} : { priority: options.webgpuPriority }),
      ...(options.dawnOptions === undefined ? {} : { dawnOptions: options.dawnOptions }),
    }),
  );
  return container;
}
