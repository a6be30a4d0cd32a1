import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { TensorflowGpuRuntime } from './tensorflow-gpu-runtime.js';
import { fakeTfjsNodeGpu, moduleNotFound, registerFakeBackend, removeFakeBackend } from './testing/fake-gpu-modules.js';

describe('TensorflowGpuRuntime (with a stand-in for @tensorflow/tfjs-node-gpu)', () => {
  beforeEach(async () => {
    await tf.setBackend('cpu');
  });
  afterEach(async () => {
    await tf.setBackend('cpu');
    removeFakeBackend('tensorflow');
  });

  it('is a gpu runtime named tensorflow-gpu with priority 100 unless told otherwise', () => {
    const runtime = new TensorflowGpuRuntime();
    expect([runtime.name, runtime.device, runtime.priority]).toEqual(['tensorflow-gpu', 'gpu', 100]);
    expect(new TensorflowGpuRuntime({ priority: 7 }).priority).toBe(7);
  });

  it('is available when the package loads and libtensorflow uses a GPU, and activates the tensorflow backend', async () => {
    const runtime = new TensorflowGpuRuntime({ importModule: fakeTfjsNodeGpu({ isGPUPackage: true, isUsingGpuDevice: true }) });
    expect(await runtime.isAvailable()).toBe(true);
    expect(runtime.unavailableReason()).toBeUndefined();
    // probing creates the backend to ask it about devices, but leaves the active backend alone
    expect(tf.getBackend()).toBe('cpu');
    await runtime.activate();
    expect(tf.getBackend()).toBe('tensorflow');
    // 1 + 2 = 3, computed by the (stand-in) tensorflow backend's kernels
    const sum = tf.add(tf.scalar(1), tf.scalar(2));
    expect(sum.dataSync()[0]).toBe(3);
    sum.dispose();
  });

  it('loads the package once however often it is asked', async () => {
    const calls: string[] = [];
    const runtime = new TensorflowGpuRuntime({ importModule: fakeTfjsNodeGpu({ isGPUPackage: true, isUsingGpuDevice: true }, calls) });
    await runtime.isAvailable();
    await runtime.isAvailable();
    expect(calls).toEqual(['@tensorflow/tfjs-node-gpu']);
  });

  it('is unavailable when libtensorflow finds no CUDA GPU, naming what to check', async () => {
    const runtime = new TensorflowGpuRuntime({ importModule: fakeTfjsNodeGpu({ isGPUPackage: true, isUsingGpuDevice: false }) });
    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toMatch(/found no CUDA GPU: check that `nvidia-smi` lists one/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('is unavailable when the tensorflow backend comes from the CPU build @tensorflow/tfjs-node', async () => {
    const runtime = new TensorflowGpuRuntime({ importModule: fakeTfjsNodeGpu({ isGPUPackage: false, isUsingGpuDevice: false }) });
    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toMatch(/comes from the CPU build @tensorflow\/tfjs-node/);
  });

  it('is unavailable when the package is not installed, saying how to install it', async () => {
    const runtime = new TensorflowGpuRuntime({ importModule: async (s) => Promise.reject(moduleNotFound(s)) });
    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toMatch(/^@tensorflow\/tfjs-node-gpu is not installed: .*npm install @tensorflow\/tfjs-node-gpu@4\.22\.0/);
  });

  it('is unavailable when the package fails to load, passing on the loader error', async () => {
    const runtime = new TensorflowGpuRuntime({
      importModule: async () => Promise.reject(new Error('libcudart.so.11.0: cannot open shared object file')),
    });
    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toMatch(/installed but failed to load.*libcudart\.so\.11\.0/);
  });

  it('is unavailable when the package registers its backend with another copy of tfjs-core', async () => {
    const runtime = new TensorflowGpuRuntime({ importModule: async () => ({}) });
    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toMatch(/two copies of @tensorflow\/tfjs-core/);
  });

  it('never throws from isAvailable, even when the loader throws synchronously', async () => {
    const runtime = new TensorflowGpuRuntime({
      importModule: () => {
        throw new TypeError('bundler cannot load native modules');
      },
    });
    await expect(runtime.isAvailable()).resolves.toBe(false);
    expect(runtime.unavailableReason()).toMatch(/bundler cannot load native modules/);
  });

  it('is unavailable when the tensorflow backend fails to initialize', async () => {
    const runtime = new TensorflowGpuRuntime({
      importModule: async () => {
        registerFakeBackend('tensorflow', 'fail');
        return {};
      },
    });
    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toMatch(/tf\.setBackend\("tensorflow"\) resolved false/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('throws from activate when unavailable, with the reason', async () => {
    const runtime = new TensorflowGpuRuntime({ importModule: async (s) => Promise.reject(moduleNotFound(s)) });
    await expect(runtime.activate()).rejects.toThrow(/tensorflow-gpu runtime is unavailable: @tensorflow\/tfjs-node-gpu is not installed/);
    expect(tf.getBackend()).toBe('cpu');
  });
});
