import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { ValueError } from '@fedkit/core';

import { BUILTIN_TASKS } from './builtin-tasks.js';
import { checkTaskModule, type TaskDefinition } from './task.js';

/**
 * Resolves `--task`: a built-in name or a path to a JavaScript module that
 * exports a {@link TaskDefinition}.
 * @throws ValueError listing the valid names for an unknown task, or naming the missing exports of a module.
 * @example
 * ```ts
 * const task = await loadTask('mnist-2nn');
 * const mine = await loadTask('./my-task.mjs');
 * ```
 */
export async function loadTask(spec: string): Promise<TaskDefinition> {
  const builtin = BUILTIN_TASKS[spec];
  if (builtin !== undefined) return builtin;
  const looksLikePath = spec.includes('/') || spec.includes('\\') || /\.(m?js|cjs)$/.test(spec);
  const path = resolve(spec);
  if (!looksLikePath || !existsSync(path)) {
    throw new ValueError(
      `Unknown task "${spec}". Valid tasks: ${Object.keys(BUILTIN_TASKS).join(', ')}, or a path to a task module (.js/.mjs) ` +
        'that exports name, createKerasModel, loss, metrics, inputSpec and loadData.',
    );
  }
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  return checkTaskModule(mod, path);
}
