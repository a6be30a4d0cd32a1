import { describe, expect, it } from 'vitest';

import { runtimeLine } from './runtime-line.js';

const GPU_REASON =
  '@tensorflow/tfjs-node-gpu is not installed: it is an optional dependency, dropped by npm when its install script cannot download libtensorflow-gpu.';
const MESSAGE = `runtime: wasm (priority 10); not chosen: tensorflow-gpu (${GPU_REASON}), cpu (lower priority)`;
const SKIPPED = [
  { name: 'tensorflow-gpu', reason: GPU_REASON },
  { name: 'cpu', reason: 'lower priority' },
];

describe('runtimeLine', () => {
  it('keeps the first clause of each reason by default and says where the rest is', () => {
    expect(runtimeLine(MESSAGE, SKIPPED, false)).toBe(
      'runtime: wasm (priority 10); not chosen: tensorflow-gpu (@tensorflow/tfjs-node-gpu is not installed), cpu (lower priority) (--verbose says why)',
    );
  });

  it('prints the whole message under --verbose', () => {
    expect(runtimeLine(MESSAGE, SKIPPED, true)).toBe(MESSAGE);
  });

  it('cuts a long first clause to 60 characters', () => {
    const reason = 'x'.repeat(100);
    expect(runtimeLine(`runtime: cpu (priority 0); not chosen: a (${reason})`, [{ name: 'a', reason }], false)).toBe(
      `runtime: cpu (priority 0); not chosen: a (${'x'.repeat(57)}...) (--verbose says why)`,
    );
  });
});
