import { registerPlugin, RUNTIME_PLUGIN, type RuntimePlugin } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

import { WasmRuntime, type WasmRuntimeOptions } from './wasm-runtime.js';

/**
 * Registers the {@link WasmRuntime} under `RUNTIME_PLUGIN` in `container` and
 * returns the container. Nothing is loaded until the runtime is checked or
 * activated (e.g. by `selectRuntime`).
 *
 * @example
 * ```ts
 * import { createFedkitContainer, selectRuntime } from '@fedkit/core';
 * import { registerWasmRuntime } from '@fedkit/runtime-wasm';
 *
 * const container = registerWasmRuntime(createFedkitContainer());
 * const { runtime, message } = await selectRuntime(container, 'auto');
 * console.log(message); // runtime: wasm (priority 10); not chosen: cpu (lower priority)
 * ```
 */
export function registerWasmRuntime(
  container: DependencyContainer,
  options: WasmRuntimeOptions = {},
): DependencyContainer {
  registerPlugin<RuntimePlugin>(container, RUNTIME_PLUGIN, new WasmRuntime(options));
  return container;
}
