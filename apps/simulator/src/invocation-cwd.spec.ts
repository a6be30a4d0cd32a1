import { describe, expect, it } from 'vitest';

import { invocationCwd } from './invocation-cwd.js';

describe('invocationCwd', () => {
  it('returns INIT_CWD when nx runs the start target (npx nx run @fedkit/simulator:start)', () => {
    const env = { NX_TASK_TARGET_PROJECT: '@fedkit/simulator', NX_TASK_TARGET_TARGET: 'start', INIT_CWD: '/home/me/exp' };
    expect(invocationCwd(env, '/repo')).toBe('/home/me/exp');
  });

  it("returns INIT_CWD when npm runs this package's start script", () => {
    const env = { npm_lifecycle_event: 'start', npm_package_name: '@fedkit/simulator', INIT_CWD: '/home/me/exp' };
    expect(invocationCwd(env, '/repo/apps/simulator')).toBe('/home/me/exp');
  });

  it("keeps the process's cwd under another script or target that set INIT_CWD (e.g. a test run under npm test)", () => {
    expect(invocationCwd({ npm_lifecycle_event: 'test', npm_package_name: '@fedkit/simulator', INIT_CWD: '/repo' }, '/tmp/run')).toBe('/tmp/run');
    expect(invocationCwd({ npm_lifecycle_event: 'start', npm_package_name: 'fedkit', INIT_CWD: '/repo' }, '/tmp/run')).toBe('/tmp/run');
    expect(invocationCwd({ NX_TASK_TARGET_PROJECT: '@fedkit/simulator', NX_TASK_TARGET_TARGET: 'test', INIT_CWD: '/repo' }, '/tmp/run')).toBe('/tmp/run');
  });

  it("keeps the process's cwd when INIT_CWD is missing or empty", () => {
    expect(invocationCwd({ NX_TASK_TARGET_PROJECT: '@fedkit/simulator', NX_TASK_TARGET_TARGET: 'start' }, '/tmp/run')).toBe('/tmp/run');
    expect(invocationCwd({ npm_lifecycle_event: 'start', npm_package_name: '@fedkit/simulator', INIT_CWD: '' }, '/tmp/run')).toBe('/tmp/run');
  });
});
