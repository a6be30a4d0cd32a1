import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

describe('importing and registering @fedkit/runtime-gpu', () => {
  it('loads no GPU package and touches no global until a runtime is probed', async () => {
    const { registerGpuRuntime } = await import('./index.js');
    registerGpuRuntime(createFedkitContainer());
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
    expect((globalThis as { GPUBufferUsage?: unknown }).GPUBufferUsage).toBeUndefined();
    expect(tf.findBackendFactory('webgpu')).toBeNull();
    expect(tf.findBackendFactory('tensorflow')).toBeNull();
  });
});
