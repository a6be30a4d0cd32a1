#!/usr/bin/env node
// `npm start`: builds the simulator and the packages it needs (through nx, so
// they build in dependency order and cached ones are skipped), then runs the
// simulator's default (MNIST, 2NN, FedAvg). Extra arguments go to the CLI:
// `npm start -- --rounds 20`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const started = performance.now();
process.stdout.write('building @fedkit/simulator and its dependencies...\n');
const build = spawnSync('npx', ['nx', 'run', '@fedkit/simulator:build', '--outputStyle=static'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
});
if (build.status !== 0) {
  // Keep the terminal short on success; show everything when the build fails.
  process.stdout.write(build.stdout ?? '');
  process.stderr.write(build.stderr ?? '');
  process.stderr.write(`build failed (exit ${build.status}); fix the errors above, then run npm start again.\n`);
  process.exit(build.status ?? 1);
}
process.stdout.write(`built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
// Relative --task/--out resolve against the directory the user ran `npm start` from.
const run = spawnSync(process.execPath, [join(root, 'apps/simulator/dist/cli.js'), ...process.argv.slice(2)], { cwd: process.env.INIT_CWD || root, stdio: 'inherit' });
process.exit(run.status ?? 1);
