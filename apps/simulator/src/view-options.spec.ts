import 'reflect-metadata';

import { resolve } from 'node:path';

import { createFedkitContainer } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { buildProgram } from './cli-program.js';
import { registerBuiltins } from './register-builtins.js';
import { DEFAULT_DASHBOARD_PORT, viewOptionsOf } from './view-options.js';

const registry = registerBuiltins(createFedkitContainer());
const parse = (...args: string[]) => viewOptionsOf(buildProgram(registry).parse(['node', 'cli', ...args]));

describe('viewOptionsOf', () => {
  it('is quiet, without dashboard or TensorBoard, by default', () => {
    expect(parse()).toEqual({ verbose: false });
  });

  it('reads --verbose and resolves --tensorboard against the working directory', () => {
    expect(parse('--verbose', '--tensorboard', 'runs/a')).toEqual({ verbose: true, tensorboard: resolve('runs/a') });
  });

  it('serves the dashboard on 127.0.0.1:7070 when --dashboard has no port, and on the given one otherwise', () => {
    expect(DEFAULT_DASHBOARD_PORT).toBe(7070);
    expect(parse('--dashboard').dashboard).toEqual({ port: 7070, host: '127.0.0.1' });
    expect(parse('--dashboard', '0').dashboard).toEqual({ port: 0, host: '127.0.0.1' });
    expect(parse('--dashboard', '8080', '--dashboard-host', '0.0.0.0').dashboard).toEqual({ port: 8080, host: '0.0.0.0' });
  });

  it('refuses a port outside 0..65535, and --dashboard-host without --dashboard', () => {
    expect(() => parse('--dashboard', '70000')).toThrow('--dashboard 70000: expected a port from 0 to 65535 (0 picks a free one), or no value for 7070.');
    expect(() => parse('--dashboard-host', '0.0.0.0')).toThrow('--dashboard-host 0.0.0.0 needs --dashboard: add --dashboard [port] to serve the live dashboard.');
  });
});
