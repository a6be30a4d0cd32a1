import type { Command } from 'commander';

/** How a CLI run is shown, as opposed to what it computes: never saved in config.json, free to change on --resume. */
export interface ViewOptions {
  /** Every round, client failure and checkpoint, and the runtime choice in full. */
  readonly verbose: boolean;
}

/**
 *
 * @example
 * ```ts
 * const { verbose } = viewOptionsOf(buildProgram(registry).parse(process.argv));
 * ```
 */
export function viewOptionsOf(program: Command): ViewOptions {
  const opts = program.opts<Record<string, unknown>>();
  return { verbose: opts['verbose'] === true };
}
