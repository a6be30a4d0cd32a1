import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { pluginsByName, ValueError } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

import { ownTfjsDir, secondTfjsCopy } from './second-tfjs-copy.js';
import { checkTaskModule, TASK_PLUGIN, type TaskDefinition } from './task.js';

/** True when `--task` names a module file rather than a registered task. */
export function isTaskPath(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || /\.(m?js|cjs)$/.test(spec);
}

/**
 * Resolves `--task`: a task registered in `container` (the built-ins, or one
 * a `--plugin` module registered) or a path to a JavaScript module that
 * exports a {@link TaskDefinition}.
 * @throws ValueError listing the registered names for an unknown task, naming the missing exports of a module,
 *   or naming a second copy of @tensorflow/tfjs that the module would load.
 * @example
 * ```ts
 * const task = await loadTask(registerBuiltins(createFedkitContainer()), 'mnist-2nn');
 * ```
 */
export async function loadTask(container: DependencyContainer, spec: string): Promise<TaskDefinition> {
  const registered = pluginsByName<TaskDefinition>(container, TASK_PLUGIN);
  const builtin = registered.get(spec);
  if (builtin !== undefined) return builtin;
  const path = resolve(spec);
  if (!isTaskPath(spec) || !existsSync(path)) {
    throw new ValueError(
      `Unknown task "${spec}". Valid tasks: ${[...registered.keys()].sort().join(', ')}, or a path to a task module (.js/.mjs) ` +
        'that exports name, createKerasModel, loss, metrics, inputSpec and loadData.',
    );
  }
  const other = secondTfjsCopy(path);
  if (other !== undefined) {
    throw new ValueError(
      `The task module ${path} would load a second copy of @tensorflow/tfjs (${other}); the simulator uses ${ownTfjsDir() ?? 'another'}. ` +
        'Two copies register every kernel twice and their models are not each other\'s tf.LayersModel. ' +
        'Fix: let the task resolve the same copy: install @fedkit/simulator in the task\'s project (npm install @fedkit/simulator) ' +
        `and run its fedkit-simulate there, or remove ${other} so the task uses the simulator's copy, or move the task module inside the simulator's project.`,
    );
  }
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  return checkTaskModule(mod, path);
}
