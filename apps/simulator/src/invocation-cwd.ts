/**
 * The directory the user ran the simulator from. Package-manager and nx
 * targets run in a folder of the repository, so a relative `--task` or
 * `--out` would otherwise resolve there and outputs would land inside the
 * repository. npm (and `npx`) record the directory they were started from in
 * `INIT_CWD`: it is the user's directory when
 * - nx runs this package's `start` target (`npx nx run @fedkit/simulator:start`),
 *   which runs the CLI directly, so `INIT_CWD` still holds what `npx` saw;
 * - npm runs this package's `start` script (`npm start -w @fedkit/simulator`).
 *
 * Anywhere else (a plain `node dist/cli.js`, `fedkit-simulate`, a test under
 * `npm test`) the process's cwd is kept, even when an outer npm set `INIT_CWD`.
 * @example
 * ```ts
 * process.chdir(invocationCwd(process.env, process.cwd()));
 * ```
 */
export function invocationCwd(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const nxStart = env['NX_TASK_TARGET_PROJECT'] === '@fedkit/simulator' && env['NX_TASK_TARGET_TARGET'] === 'start';
  const npmStart = env['npm_lifecycle_event'] === 'start' && env['npm_package_name'] === '@fedkit/simulator';
  const init = env['INIT_CWD'];
  return (nxStart || npmStart) && init !== undefined && init !== '' ? init : cwd;
}
