import { resolve } from 'node:path';

import type { Command } from 'commander';

/** The dashboard's port when `--dashboard` is given without one. */
export const DEFAULT_DASHBOARD_PORT = 7070;

/** How a CLI run is shown, as opposed to what it computes: never saved in config.json, free to change on --resume. */
export interface ViewOptions {
  /** Every round, client failure and checkpoint, and the runtime choice in full. */
  readonly verbose: boolean;
  /** A folder for TensorBoard event files (absolute), when asked for. */
  readonly tensorboard?: string;
  /** Where to serve the live dashboard, when asked for. */
  readonly dashboard?: { readonly port: number; readonly host: string };
}

/**
 * Reads the view flags (`--verbose`, `--tensorboard`, `--dashboard [port]`,
 * `--dashboard-host`) of a parsed `fedkit-simulate` program.
 *
 * @throws Error when the dashboard port is not an integer from 0 to 65535, or `--dashboard-host` comes without `--dashboard`.
 * @example
 * ```ts
 * const { verbose, dashboard } = viewOptionsOf(buildProgram(registry).parse(process.argv));
 * ```
 */
export function viewOptionsOf(program: Command): ViewOptions {
  const opts = program.opts<Record<string, unknown>>();
  const host = typeof opts['dashboardHost'] === 'string' ? opts['dashboardHost'] : undefined;
  let dashboard: ViewOptions['dashboard'];
  if (opts['dashboard'] !== undefined) {
    const port = opts['dashboard'] === true ? DEFAULT_DASHBOARD_PORT : Number(opts['dashboard']);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`--dashboard ${String(opts['dashboard'])}: expected a port from 0 to 65535 (0 picks a free one), or no value for ${DEFAULT_DASHBOARD_PORT}.`);
    }
    dashboard = { port, host: host ?? '127.0.0.1' };
  } else if (host !== undefined) {
    throw new Error(`--dashboard-host ${host} needs --dashboard: add --dashboard [port] to serve the live dashboard.`);
  }
  return {
    verbose: opts['verbose'] === true,
    ...(typeof opts['tensorboard'] === 'string' ? { tensorboard: resolve(opts['tensorboard']) } : {}),
    ...(dashboard === undefined ? {} : { dashboard }),
  };
}
