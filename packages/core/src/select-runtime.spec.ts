import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ValueError } from './errors.js';
import { createFedkitContainer, registerPlugin } from './fedkit-container.js';
import { RUNTIME_PLUGIN, type RuntimePlugin } from './plugin-tokens.js';
import { selectRuntime } from './select-runtime.js';

class FakeRuntime implements RuntimePlugin {
  activated = 0;
  constructor(
    readonly name: string,
    readonly priority: number,
    private readonly available: boolean,
    readonly device: 'cpu' | 'gpu' = 'cpu',
    private readonly activateError?: string,
  ) {}
  async isAvailable(): Promise<boolean> {
    return this.available;
  }
  unavailableReason(): string | undefined {
    return this.available ? undefined : `${this.name} driver missing`;
  }
  async activate(): Promise<void> {
    if (this.activateError !== undefined) throw new Error(this.activateError);
    this.activated++;
  }
}

describe('selectRuntime', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('activates the cpu runtime when nothing else is registered', async () => {
    const selection = await selectRuntime(createFedkitContainer());
    expect(selection.runtime.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('picks the available runtime with the highest priority', async () => {
    const c = createFedkitContainer();
    const fast = new FakeRuntime('fast', 10, true);
    registerPlugin(c, RUNTIME_PLUGIN, fast);
    registerPlugin(c, RUNTIME_PLUGIN, new FakeRuntime('faster', 20, false));
    const selection = await selectRuntime(c);
    expect(selection.runtime).toBe(fast);
    expect(fast.activated).toBe(1);
    expect(selection.message).toBe('runtime: fast (priority 10); not chosen: faster (faster driver missing), cpu (lower priority)');
  });

  it('falls back to cpu with a warning when the preferred runtime is unavailable', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const c = createFedkitContainer();
    registerPlugin(c, RUNTIME_PLUGIN, new FakeRuntime('webgpu', 30, false, 'gpu'));
    const selection = await selectRuntime(c, 'webgpu');
    expect(selection.runtime.name).toBe('cpu');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/Runtime "webgpu" is unavailable \(webgpu: webgpu driver missing\); falling back/);
  });

  it('falls back when the preferred runtime fails to activate, never reporting it', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const c = createFedkitContainer();
    registerPlugin(c, RUNTIME_PLUGIN, new FakeRuntime('broken', 5, true, 'cpu', 'setBackend returned false'));
    const selection = await selectRuntime(c, 'broken');
    expect(selection.runtime.name).toBe('cpu');
    expect(selection.message).toMatch(/broken \(failed to activate: setBackend returned false\)/);
  });

  it("picks only gpu runtimes for 'gpu' and falls back when none is available", async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const c = createFedkitContainer();
    const wasm = new FakeRuntime('wasm', 10, true);
    registerPlugin(c, RUNTIME_PLUGIN, wasm);
    registerPlugin(c, RUNTIME_PLUGIN, new FakeRuntime('webgpu', 30, false, 'gpu'));
    const selection = await selectRuntime(c, 'gpu');
    expect(selection.runtime).toBe(wasm);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('throws a ValueError listing runtimes for an unknown name', async () => {
    await expect(selectRuntime(createFedkitContainer(), 'tpu')).rejects.toThrow(ValueError);
    await expect(selectRuntime(createFedkitContainer(), 'tpu')).rejects.toThrow(/Registered runtimes: cpu/);
  });
});
