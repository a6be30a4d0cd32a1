import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { fakeAdapter, fakeDawn, moduleNotFound, removeFakeBackend, resetWebGpuGlobals } from './testing/fake-gpu-modules.js';
import { WebGpuRuntime } from './webgpu-runtime.js';

const navigatorGpu = (): unknown => (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;

describe('WebGpuRuntime (with stand-ins for webgpu and @tensorflow/tfjs-backend-webgpu)', () => {
  beforeEach(async () => {
    await tf.setBackend('cpu');
    resetWebGpuGlobals();
  });
  afterEach(async () => {
    await tf.setBackend('cpu');
    removeFakeBackend('webgpu');
    resetWebGpuGlobals();
  });

  it('is a gpu runtime named webgpu with priority 50 unless told otherwise', () => {
    const runtime = new WebGpuRuntime();
    expect([runtime.name, runtime.device, runtime.priority]).toEqual(['webgpu', 'gpu', 50]);
    expect(new WebGpuRuntime({ priority: 60 }).priority).toBe(60);
  });

  it('sets up Dawn as navigator.gpu, finds an adapter and a device, and activates the webgpu backend', async () => {
    const calls: string[] = [];
    const runtime = new WebGpuRuntime({ importModule: fakeDawn(fakeAdapter(), { calls }) });
    expect(await runtime.isAvailable()).toBe(true);
    expect(runtime.unavailableReason()).toBeUndefined();
    expect(runtime.adapterDescription).toBe('"fake software: test adapter"');
    expect(navigatorGpu()).toBeDefined();
    // the package's globals (GPUBufferUsage, ...) are installed before tfjs's backend is loaded
    expect((globalThis as { FAKE_GPU_BUFFER_USAGE?: unknown }).FAKE_GPU_BUFFER_USAGE).toEqual({ STORAGE: 128 });
    expect(calls).toEqual(['webgpu', '@tensorflow/tfjs-backend-webgpu']);
    expect(tf.getBackend()).toBe('cpu');
    await runtime.activate();
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('uses an existing navigator.gpu instead of loading Dawn', async () => {
    const nav = ((globalThis as { navigator?: object }).navigator ??= {});
    Object.defineProperty(nav, 'gpu', { value: { requestAdapter: async () => fakeAdapter() }, configurable: true });
    const calls: string[] = [];
    const runtime = new WebGpuRuntime({ importModule: fakeDawn(null, { calls }) });
    expect(await runtime.isAvailable()).toBe(true);
    expect(calls).toEqual(['@tensorflow/tfjs-backend-webgpu']);
  });

  it('is unavailable without an adapter, naming the Vulkan driver, and loads no tfjs backend', async () => {
    const calls: string[] = [];
    const runtime = new WebGpuRuntime({ importModule: fakeDawn(null, { calls }) });
    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toMatch(/^no WebGPU adapter: navigator\.gpu\.requestAdapter\(\) returned null/);
    expect(runtime.unavailableReason()).toMatch(/Vulkan/);
    expect(calls).toEqual(['webgpu']);
    expect(tf.findBackendFactory('webgpu')).toBeNull();
  });

  it('is unavailable when the driver rejects the device request, passing on its error', async () => {
    const runtime = new WebGpuRuntime({ importModule: fakeDawn(fakeAdapter('Vulkan shaderUniformBufferArrayDynamicIndexing required')) });
    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toBe(
      'the driver rejected WebGPU: adapter "fake software: test adapter" found, but requestDevice() failed: ' +
        'Vulkan shaderUniformBufferArrayDynamicIndexing required',
    );
  });

  it('is unavailable when Dawn fails to start', async () => {
    const runtime = new WebGpuRuntime({ importModule: fakeDawn(null, { createError: 'dawn.node: invalid ELF header' }) });
    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toMatch(/^Dawn, the "webgpu" package, failed to start on .*: dawn\.node: invalid ELF header$/);
  });

  it('is unavailable when the webgpu package is not installed, saying how to install it', async () => {
    const runtime = new WebGpuRuntime({ importModule: async (s) => Promise.reject(moduleNotFound(s)) });
    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toMatch(/"webgpu" package, Dawn for Node, is not installed: run `npm install webgpu@0\.6\.2`/);
  });

  it('is unavailable when @tensorflow/tfjs-backend-webgpu is not installed', async () => {
    const dawn = fakeDawn(fakeAdapter());
    const runtime = new WebGpuRuntime({
      importModule: async (s) => (s === 'webgpu' ? dawn(s) : Promise.reject(moduleNotFound(s))),
    });
    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toMatch(/@tensorflow\/tfjs-backend-webgpu is not installed/);
  });

  it('is unavailable when the tfjs backend registers with another copy of tfjs-core', async () => {
    const dawn = fakeDawn(fakeAdapter());
    const runtime = new WebGpuRuntime({ importModule: async (s) => (s === 'webgpu' ? dawn(s) : {}) });
    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toMatch(/registered no "webgpu" backend/);
  });

  it('never throws from isAvailable, even when the module is not what it should be', async () => {
    const runtime = new WebGpuRuntime({ importModule: async () => ({}) });
    await expect(runtime.isAvailable()).resolves.toBe(false);
    expect(runtime.unavailableReason()).toMatch(/failed to start/);
  });

  it('throws from activate when tf.setBackend("webgpu") resolves false, never leaving webgpu reported', async () => {
    const runtime = new WebGpuRuntime({ importModule: fakeDawn(fakeAdapter(), { backend: 'fail' }) });
    expect(await runtime.isAvailable()).toBe(true);
    await expect(runtime.activate()).rejects.toThrow(/tf\.setBackend\("webgpu"\) resolved false on adapter "fake software: test adapter"/);
  });

  it('throws from activate when unavailable, with the reason', async () => {
    const runtime = new WebGpuRuntime({ importModule: fakeDawn(null) });
    await expect(runtime.activate()).rejects.toThrow(/webgpu runtime is unavailable: no WebGPU adapter/);
  });
});
