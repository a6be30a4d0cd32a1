import { createFedkitContainer, pluginNames, RUNTIME_PLUGIN, selectRuntime, SGD_UPDATE_KERNEL, DENSE_SGD_STEP_KERNEL } from '@fedkit/core';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { loadWasmBackend } from './load-wasm-backend.js';
import { registerWasmRuntime } from './register-wasm-runtime.js';
import {
  installWasmTrainingKernels,
  uninstallWasmTrainingKernels,
  WASM_TRAINING_KERNELS,
  wasmTrainingKernelsInstalled,
} from './wasm-training-kernels.js';
import { activateWasm, WasmRuntime } from './wasm-runtime.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('WasmRuntime', () => {
  it('is the cpu-device runtime named wasm, ranked above cpu (priority 0)', () => {
    const runtime = new WasmRuntime();

    expect(runtime.name).toBe('wasm');
    expect(runtime.device).toBe('cpu');
    expect(runtime.priority).toBeGreaterThan(0);
  });

  it('is available in Node, with no reason given', async () => {
    const runtime = new WasmRuntime();

    expect(await runtime.isAvailable()).toBe(true);
    expect(runtime.unavailableReason()).toBeUndefined();
  });

  it('resolves false and says why, without throwing, when there is no WebAssembly', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const runtime = new WasmRuntime();

    expect(await runtime.isAvailable()).toBe(false);
    expect(runtime.unavailableReason()).toMatch(/WebAssembly/);
  });

  it('activates the wasm backend with the training kernels installed', async () => {
    await new WasmRuntime().activate();

    expect(tf.getBackend()).toBe('wasm');
    expect(wasmTrainingKernelsInstalled()).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('gives stock wasm when trainingKernels is false, removing kernels installed before', async () => {
    await activateWasm();

    await new WasmRuntime({ trainingKernels: false }).activate();

    expect(tf.getBackend()).toBe('wasm');
    expect(wasmTrainingKernelsInstalled()).toBe(false);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
  });

  it('is picked by selectRuntime(auto) once registered, and says so', async () => {
    const container = registerWasmRuntime(createFedkitContainer());

    const { runtime, message } = await selectRuntime(container, 'auto');

    expect(pluginNames(container, RUNTIME_PLUGIN)).toEqual(['wasm']);
    expect(runtime.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(message).toMatch(/^runtime: wasm \(priority 10\); not chosen: cpu \(lower priority\)/);
  });
});

describe('installWasmTrainingKernels', () => {
  it('leaves the cpu kernels alone', async () => {
    await loadWasmBackend();
    uninstallWasmTrainingKernels();
    const cpuBefore = WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k, 'cpu'));

    installWasmTrainingKernels();

    expect(WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k, 'cpu'))).toEqual(cpuBefore);
    // Every tfjs kernel among them has its cpu kernel; fedkit's own SGD kernels stay wasm-only.
    const fedkitOwn = (k: string): boolean => k === SGD_UPDATE_KERNEL || k === DENSE_SGD_STEP_KERNEL;
    expect(WASM_TRAINING_KERNELS.filter((k, i) => (cpuBefore[i] === undefined) !== fedkitOwn(k))).toEqual([]);
  });

  it('is idempotent: a second install keeps the same kernels and warns nothing', async () => {
    await loadWasmBackend();
    installWasmTrainingKernels();
    const first = WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k, 'wasm'));
    const warn = vi.spyOn(console, 'warn');

    installWasmTrainingKernels();

    expect(WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k, 'wasm'))).toEqual(first);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('is undone by uninstallWasmTrainingKernels, which restores the stock kernels', async () => {
    await loadWasmBackend();
    uninstallWasmTrainingKernels();
    const stockMatMul = tf.getKernel('BatchMatMul', 'wasm');
    installWasmTrainingKernels();
    expect(tf.getKernel('BatchMatMul', 'wasm')).not.toBe(stockMatMul);

    uninstallWasmTrainingKernels();

    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(stockMatMul);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
  });
});
