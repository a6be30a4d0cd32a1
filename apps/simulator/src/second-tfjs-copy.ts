import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** Where `@tensorflow/tfjs` resolves from `from` (a file path or URL), with symlinks followed; undefined when it does not. */
function tfjsDir(from: string): string | undefined {
  try {
    return realpathSync(dirname(createRequire(from).resolve('@tensorflow/tfjs/package.json')));
  } catch {
    return undefined;
  }
}

/**
 * The folder of a second copy of `@tensorflow/tfjs` that a task module at
 * `modulePath` would load, or undefined when it would load the simulator's own
 * copy (or none). Two copies share tfjs's global engine: the second registers
 * every kernel again (hundreds of "already registered" warnings) and its
 * models are not `instanceof` the first copy's `tf.LayersModel`, so this is
 * checked before the module is imported.
 * @example
 * ```ts
 * const other = secondTfjsCopy('/home/me/task/my-task.mjs'); // '/home/me/task/node_modules/@tensorflow/tfjs' or undefined
 * ```
 */
export function secondTfjsCopy(modulePath: string, ownFrom: string = import.meta.url): string | undefined {
  const ours = tfjsDir(ownFrom);
  const theirs = tfjsDir(modulePath);
  return ours !== undefined && theirs !== undefined && ours !== theirs ? theirs : undefined;
}

/** The simulator's own `@tensorflow/tfjs` folder, for messages. */
export function ownTfjsDir(ownFrom: string = import.meta.url): string | undefined {
  return tfjsDir(ownFrom);
}
