import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

// This file must stay free of anything that loads the wasm backend before the check:
// vitest runs each spec file in its own process, so tfjs starts here untouched.
describe('importing @fedkit/runtime-wasm', () => {
  it('registers neither the wasm backend nor any wasm kernel', async () => {
    const pkg = await import('./index.js');

    expect(typeof pkg.registerWasmRuntime).toBe('function');
    expect(tf.findBackendFactory('wasm')).toBeNull();
    expect(tf.getKernel('Conv2D', 'wasm')).toBeUndefined();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
  });
});
