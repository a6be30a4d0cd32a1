/**
 * The simulator's client environment: what each client runner (this thread,
 * every worker thread) builds before it runs client tasks. It registers the
 * same plugins as the main thread, activates the runtime the main thread
 * asked for (with the same fallback), loads the task and builds its model.
 * Worker threads load this module by URL (`environmentModuleUrl`).
 */
import { createFedkitContainer, selectRuntime, ValueError, type ClientDataRef, type ClientEnvironment, type EnvironmentContext, type LabeledArrays } from '@fedkit/core';
import { resolveArrayPlan } from '@fedkit/datasets';

import { taskModelFactory } from './build-task-model.js';
import { loadTask } from './load-task.js';
import { loadPluginModules, registerBuiltins } from './register-builtins.js';
import { checkTaskData } from './task.js';

/** Plain options of {@link createClientEnvironment} (they cross to worker threads). */
export interface SimulatorEnvironmentOptions {
  /** A registered task name, or an absolute path to a task module. */
  readonly task: string;
  /** Seed of the task's model factory (weights are overwritten per client anyway). */
  readonly seed: number;
  /** The runtime to ask for: the one the main thread asked for (`auto`, `wasm`, `gpu`, ...). */
  readonly runtime: string;
  /** Absolute paths of `--plugin` modules. */
  readonly plugins: readonly string[];
  /** Seed of the task's train/test split, for workers that load the task data themselves (default 0). */
  readonly splitSeed?: number;
  /** Load the task's train split here when no shared data is given (a worker on another machine). */
  readonly loadTaskData?: boolean;
}

/** The URL of this module, for an executor's `EnvironmentSpec`. */
export function environmentModuleUrl(): string {
  // Under vitest this module runs from src/ (TypeScript); workers need the built JavaScript.
  const here = new URL(import.meta.url);
  return here.pathname.endsWith('.ts') ? new URL('../dist/client-environment.js', here).href : here.href;
}

/**
 * Builds a client environment (see the module comment). Data references of
 * kind `array-plan` are resolved over `context.sharedData`, or over the task's
 * train split loaded here when `loadTaskData` is set (workers on other machines).
 * @example
 * ```ts
 * const env = await createClientEnvironment({ task: 'mnist-2nn', seed: 0, runtime: 'auto', plugins: [] }, { sharedData: train });
 * ```
 */
export async function createClientEnvironment(options: unknown, context: EnvironmentContext = {}): Promise<ClientEnvironment> {
  const o = options as SimulatorEnvironmentOptions;
  const container = registerBuiltins(createFedkitContainer());
  await loadPluginModules(container, o.plugins ?? []);
  const selection = await selectRuntime(container, o.runtime);
  const task = await loadTask(container, o.task);
  const models = taskModelFactory(task, o.seed);
  const model = models.modelFn();
  const data: LabeledArrays | undefined =
    context.sharedData ?? (o.loadTaskData === true ? checkTaskData(await task.loadData({ seed: o.seed, splitSeed: o.splitSeed ?? 0 }), task.name).train : undefined);
  return {
    model,
    runtime: selection.runtime.name,
    runtimeMessage: selection.message,
    resolveData(ref: ClientDataRef, signal?: AbortSignal) {
      if (data === undefined) throw new ValueError(`This environment holds no shared data, so it cannot resolve a "${ref.kind}" data reference.`);
      return resolveArrayPlan(data, ref, signal);
    },
    dispose: () => models.dispose(),
  };
}
