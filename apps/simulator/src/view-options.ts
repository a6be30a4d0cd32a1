import { resolve } from 'node:path';

import type { Command } from 'commander';

/** How a CLI run is shown, as opposed to what it computes: never saved in config.json, free to change on --resume. */
export interface ViewOptions {
  /** Every round, client failure and checkpoint, and the runtime choice in full. */
  readonly verbose: boolean;
  /** A folder for TensorBoard event files (absolute), when asked for. */
  readonly tensorboard?: string;
}

/**
 * Reads the view flags (`--verbose`, `--tensorboard`) of a parsed `fedkit-simulate` program.
 *
 * @example
 * ```ts
 * const { verbose } = viewOptionsOf(buildProgram(registry).parse(process.argv));
 * ```
 */
export function viewOptionsOf(program: Command): ViewOptions {
  const opts = program.opts<Record<string, unknown>>();
  return {
    verbose: opts['verbose'] === true,
    ...(typeof opts['tensorboard'] === 'string' ? { tensorboard: resolve(opts['tensorboard']) } : {}),
  };
}
