import { createRequire } from 'node:module';

import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, pluginsByName, registerPlugin, RUNTIME_PLUGIN, selectRuntime, type RuntimePlugin } from '@fedkit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { firstDawnMessage, probeAdapterQuietly } from './probe-adapter-quietly.js';
import { registerGpuRuntime } from './register-gpu-runtime.js';
import { fakeAdapter, fakeDawn, fakeTfjsNodeGpu, moduleNotFound, removeFakeBackend, resetWebGpuGlobals } from './testing/fake-gpu-modules.js';
import { registerWasmIfBuilt, wasmRuntimeBuilt } from './testing/runtime-cases.js';

/** A cpu-side runtime that is always available, standing in for @fedkit/runtime-wasm. */
class FakeWasmRuntime implements RuntimePlugin {
  readonly name = 'wasm';
  readonly priority = 10;
  readonly device = 'cpu' as const;
  activated = 0;
  async isAvailable(): Promise<boolean> {
    return true;
  }
  async activate(): Promise<void> {
    this.activated++;
  }
}

/** Stand-in importer serving both fake GPU stacks; each may be present or missing. */
function fakes(options: { cuda: boolean | 'missing'; adapter: boolean }): (s: string) => Promise<unknown> {
  const tfNode = fakeTfjsNodeGpu({ isGPUPackage: true, isUsingGpuDevice: options.cuda === true });
  const dawn = fakeDawn(options.adapter ? fakeAdapter() : null);
  return async (s) => {
    if (s === '@tensorflow/tfjs-node-gpu') return options.cuda === 'missing' ? Promise.reject(moduleNotFound(s)) : tfNode(s);
    return dawn(s);
  };
}

describe("selectRuntime(c, 'gpu') with fake GPU stacks", () => {
  afterEach(async () => {
    vi.restoreAllMocks();
    await tf.setBackend('cpu');
    removeFakeBackend('tensorflow');
    removeFakeBackend('webgpu');
    resetWebGpuGlobals();
  });

  it('prefers tensorflow-gpu over webgpu when both work', async () => {
    const c = registerGpuRuntime(createFedkitContainer(), { importModule: fakes({ cuda: true, adapter: true }) });
    const { runtime, message } = await selectRuntime(c, 'gpu');
    expect(runtime.name).toBe('tensorflow-gpu');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(message).toBe('runtime: tensorflow-gpu (priority 100); not chosen: webgpu (lower priority), cpu (lower priority)');
  });

  it('picks webgpu when libtensorflow has no GPU, saying why tensorflow-gpu was passed over', async () => {
    const c = registerGpuRuntime(createFedkitContainer(), { importModule: fakes({ cuda: false, adapter: true }) });
    const { runtime, message } = await selectRuntime(c, 'gpu');
    expect(runtime.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(message).toMatch(/^runtime: webgpu \(priority 50\); not chosen: tensorflow-gpu \(@tensorflow\/tfjs-node-gpu loaded, but libtensorflow found no CUDA GPU/);
  });

  it('falls back to wasm with one warning naming both reasons when neither GPU stack works', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const c = registerGpuRuntime(createFedkitContainer(), { importModule: fakes({ cuda: 'missing', adapter: false }) });
    const wasm = new FakeWasmRuntime();
    registerPlugin(c, RUNTIME_PLUGIN, wasm);
    const { runtime, message, skipped } = await selectRuntime(c, 'gpu');
    expect(runtime).toBe(wasm);
    expect(wasm.activated).toBe(1);
    expect(skipped.map((s) => s.name)).toEqual(['tensorflow-gpu', 'webgpu', 'cpu']);
    expect(message).toMatch(/^runtime: wasm \(priority 10\); not chosen: tensorflow-gpu \(@tensorflow\/tfjs-node-gpu is not installed: .*\), webgpu \(no WebGPU adapter: .*\), cpu \(lower priority\)$/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^Runtime "gpu" is unavailable \(tensorflow-gpu: .*; webgpu: .*\); falling back/);
  });

  it('falls back to cpu when no wasm runtime is registered', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const c = registerGpuRuntime(createFedkitContainer(), { importModule: fakes({ cuda: false, adapter: false }) });
    const { runtime } = await selectRuntime(c, 'gpu');
    expect(runtime.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('falls back when the webgpu backend fails to initialize, never reporting webgpu', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const dawn = fakeDawn(fakeAdapter(), { backend: 'fail' });
    const c = registerGpuRuntime(createFedkitContainer(), {
      importModule: async (s) => (s === 'webgpu' || s === '@tensorflow/tfjs-backend-webgpu' ? dawn(s) : Promise.reject(moduleNotFound(s))),
    });
    const { runtime, message } = await selectRuntime(c, 'gpu');
    expect(runtime.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(message).toMatch(/webgpu \(failed to activate: tf\.setBackend\("webgpu"\) resolved false/);
  });

  it('honours the priorities given in the options', async () => {
    const c = registerGpuRuntime(createFedkitContainer(), { importModule: fakes({ cuda: true, adapter: true }), webgpuPriority: 200 });
    const { runtime } = await selectRuntime(c, 'gpu');
    expect(runtime.name).toBe('webgpu');
  });
});

/** Whether the dynamic linker finds libvulkan.so.1 (a loaded non-addon library fails with "did not self-register"). */
function vulkanLoaderLoads(): boolean {
  try {
    process.dlopen({ exports: {} }, 'libvulkan.so.1');
    return true;
  } catch (e) {
    return !/cannot open shared object file/.test((e as Error).message);
  }
}

describe('the real GPU runtimes on this machine', () => {
  const installed = (name: string): boolean => {
    try {
      createRequire(import.meta.url).resolve(name);
      return true;
    } catch {
      return false;
    }
  };

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('registers tensorflow-gpu (priority 100) and webgpu (priority 50), both on device gpu', () => {
    const plugins = pluginsByName<RuntimePlugin>(registerGpuRuntime(createFedkitContainer()), RUNTIME_PLUGIN);
    expect([...plugins.values()].map((p) => [p.name, p.priority, p.device])).toEqual([
      ['tensorflow-gpu', 100, 'gpu'],
      ['webgpu', 50, 'gpu'],
    ]);
  });

  it('answers isAvailable without throwing, with a reason exactly when unavailable', async () => {
    const plugins = pluginsByName<RuntimePlugin>(registerGpuRuntime(createFedkitContainer()), RUNTIME_PLUGIN);
    for (const plugin of plugins.values()) {
      const ok = await plugin.isAvailable();
      if (ok) expect(plugin.unavailableReason?.()).toBeUndefined();
      else expect(plugin.unavailableReason?.()).toMatch(/\S/);
    }
  });

  it.runIf(!installed('@tensorflow/tfjs-node-gpu'))('reports tensorflow-gpu unavailable: the optional package is not installed here', async () => {
    const tfGpu = pluginsByName<RuntimePlugin>(registerGpuRuntime(createFedkitContainer()), RUNTIME_PLUGIN).get('tensorflow-gpu')!;
    expect(await tfGpu.isAvailable()).toBe(false);
    expect(tfGpu.unavailableReason?.()).toMatch(/^@tensorflow\/tfjs-node-gpu is not installed: it is an optional dependency/);
  });

  it.runIf(process.platform === 'linux' && !vulkanLoaderLoads())(
    'reports webgpu unavailable: there is no Vulkan loader (libvulkan.so.1) here',
    async () => {
      const webgpu = pluginsByName<RuntimePlugin>(registerGpuRuntime(createFedkitContainer()), RUNTIME_PLUGIN).get('webgpu')!;
      expect(await webgpu.isAvailable()).toBe(false);
      expect(webgpu.unavailableReason?.()).toMatch(/^no WebGPU adapter: the Vulkan loader libvulkan\.so\.1 is not installed \(so Dawn was not loaded\); install libvulkan1/);
      // Dawn was not even loaded (so it printed no "Couldn't load Vulkan" warning): no navigator.gpu, no tfjs backend
      expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
      expect(tf.findBackendFactory('webgpu')).toBeNull();
    },
  );

  it.runIf(process.platform === 'linux' && !vulkanLoaderLoads())(
    "asks Dawn for an adapter in a child process, capturing Dawn's Vulkan warning instead of printing it (before: on every run)",
    async () => {
      const probe = await probeAdapterQuietly([]);
      expect(probe).toMatchObject({ found: false });
      expect(probe.error).toBeUndefined();
      expect(probe.log).toMatch(/Couldn't load Vulkan: libvulkan\.so\.1/);
      expect(firstDawnMessage(probe.log)).toMatch(/^Warning: Couldn't load Vulkan: libvulkan\.so\.1: cannot open shared object file/);
    },
  );

  it("falls back to wasm (cpu when runtime-wasm is not built) when no GPU runtime is available", async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const c = registerGpuRuntime(createFedkitContainer());
    const withWasm = await registerWasmIfBuilt(c);
    const plugins = pluginsByName<RuntimePlugin>(c, RUNTIME_PLUGIN);
    const gpuAvailable = (await plugins.get('tensorflow-gpu')!.isAvailable()) || (await plugins.get('webgpu')!.isAvailable());
    const { runtime, message } = await selectRuntime(c, 'gpu');
    if (gpuAvailable) {
      expect(runtime.device).toBe('gpu');
      return;
    }
    expect(runtime.name).toBe(withWasm ? 'wasm' : 'cpu');
    expect(tf.getBackend()).toBe(withWasm ? 'wasm' : 'cpu');
    expect(message).toMatch(/not chosen: tensorflow-gpu \(.+\), webgpu \(no WebGPU adapter: .+\)/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![1]).toEqual({ code: 'FEDKIT_RUNTIME_FALLBACK' });
  });

  it.runIf(wasmRuntimeBuilt())('uses @fedkit/runtime-wasm for the fallback when it is built', async () => {
    const c = registerGpuRuntime(createFedkitContainer());
    expect(await registerWasmIfBuilt(c)).toBe(true);
    expect(pluginsByName<RuntimePlugin>(c, RUNTIME_PLUGIN).get('wasm')?.priority).toBe(10);
  });
});
