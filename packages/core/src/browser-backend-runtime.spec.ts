import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';

import { createFedkitContainer } from './fedkit-container.js';
import { selectRuntime } from './select-runtime.js';

// A browser is simulated by tfjs's IS_BROWSER flag and a 'webgl' backend factory (a cpu backend under that
// name: selection only needs setBackend to succeed). The real WebGL path runs in chromium in the
// workspace-checks browser test.
describe("selectRuntime's browser runtimes", () => {
  afterEach(async () => {
    tf.env().set('IS_BROWSER', false);
    if (tf.findBackendFactory('webgl') !== null) tf.removeBackend('webgl');
    await tf.setBackend('cpu');
  });

  const fakeWebgl = () => {
    const CpuBackend = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
    tf.registerBackend('webgl', () => new CpuBackend());
  };

  it("in a browser, 'auto' prefers webgl over wasm and cpu, and says why webgpu was passed over", async () => {
    await tf.ready();
    fakeWebgl();
    tf.env().set('IS_BROWSER', true);
    const selection = await selectRuntime(createFedkitContainer());
    expect(selection.runtime.name).toBe('webgl');
    expect(tf.getBackend()).toBe('webgl');
    expect(selection.message).toMatch(/^runtime: webgl \(priority 20\); not chosen: webgpu \(the tfjs webgpu backend is not registered/);
    expect(selection.message).toMatch(/, wasm \(lower priority\), cpu \(lower priority\)$/);
  });

  it('in Node the browser backends are not runtimes, even when a factory of that name exists', async () => {
    await tf.ready();
    fakeWebgl();
    const selection = await selectRuntime(createFedkitContainer());
    expect(selection.runtime.name).toBe('cpu');
    expect(selection.message).toBe('runtime: cpu (priority 0)');
  });
});
