import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TINY = fileURLToPath(new URL('../fixtures/tiny-task.mjs', import.meta.url));

describe('fedkit-simulate under `nx run @fedkit/simulator:start`', () => {
  it("resolves a relative --task and --out against the user's directory (INIT_CWD), not the directory nx runs it in", () => {
    const user = mkdtempSync(join(tmpdir(), 'cli-user-'));
    const nxCwd = mkdtempSync(join(tmpdir(), 'cli-nx-'));
    const env = { ...process.env, INIT_CWD: user, NX_TASK_TARGET_PROJECT: '@fedkit/simulator', NX_TASK_TARGET_TARGET: 'start' };
    // The task stays in the repository (it imports the workspace's tfjs); it is named relative to the user's directory.
    const flags = ['--task', relative(user, TINY), '--out', 'runs/a', '--rounds', '1', '--clients', '4', '--clients-per-round', '2', '--batch-size', '5'];
    const r = spawnSync(process.execPath, [CLI, ...flags, '--workers', '0', '--runtime', 'cpu', '--eval-every', '0'], { cwd: nxCwd, env, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).not.toMatch(/fedkit-simulate:/);
    expect(r.status).toBe(0);
    expect(existsSync(join(user, 'runs', 'a', 'config.json'))).toBe(true);
    expect(existsSync(join(nxCwd, 'runs'))).toBe(false);
  });
});
