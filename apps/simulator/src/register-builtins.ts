import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { registerPlugin, ValueError } from '@fedkit/core';
import { registerAggregators } from '@fedkit/aggregators';
import { registerBullMqExecutor } from '@fedkit/executor-bullmq';
import { registerLearning, weightedMeanFactory } from '@fedkit/learning';
import { registerLosses } from '@fedkit/losses';
import { registerMetrics } from '@fedkit/metrics';
import { registerGpuRuntime } from '@fedkit/runtime-gpu';
import { registerWasmRuntime } from '@fedkit/runtime-wasm';
import type { DependencyContainer } from 'tsyringe';

import { fashionMnist2nn, fashionMnistCnn, mnist2nn, mnistCnn } from './builtin-tasks.js';
import { TASK_PLUGIN } from './task.js';

/**
 * Registers everything the simulator can choose by name — runtimes (wasm,
 * tensorflow-gpu, webgpu), losses, metrics, algorithms, client updates,
 * executors, aggregators and tasks — in `container`. The main thread and
 * every worker call this same function, so they see the same registry.
 *
 * @example
 * ```ts
 * const container = registerBuiltins(createFedkitContainer());
 * pluginNames(container, ALGORITHM_PLUGIN);
 * ```
 */
export function registerBuiltins(container: DependencyContainer): DependencyContainer {
  registerGpuRuntime(registerWasmRuntime(container));
  registerLosses(container);
  registerMetrics(container);
  registerLearning(container);
  registerAggregators(container, { mean: weightedMeanFactory });
  registerBullMqExecutor(container);
  for (const task of [mnist2nn, mnistCnn, fashionMnist2nn, fashionMnistCnn]) registerPlugin(container, TASK_PLUGIN, task);
  return container;
}

/**
 * Loads `--plugin` modules: each must export `register(container)`, which adds
 * its own algorithms, aggregators, runtimes, tasks, losses or metrics. The
 * main thread and every worker load the same modules.
 *
 * @throws ValueError when a module has no `register` export.
 * @example
 * ```ts
 * await loadPluginModules(container, ['./my-aggregator.mjs']);
 * ```
 */
export async function loadPluginModules(container: DependencyContainer, paths: readonly string[]): Promise<void> {
  for (const p of paths) {
    const path = resolve(p);
    const mod = (await import(pathToFileURL(path).href)) as { register?: (c: DependencyContainer) => unknown };
    if (typeof mod.register !== 'function') {
      throw new ValueError(`The plugin module ${path} must export register(container), which registers its plugins; found exports: ${Object.keys(mod).join(', ') || 'none'}.`);
    }
    await mod.register(container);
  }
}
