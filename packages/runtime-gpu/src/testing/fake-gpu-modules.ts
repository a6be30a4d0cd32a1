import * as tf from '@tensorflow/tfjs';

import type { ModuleImporter } from '../module-importer.js';

/** The error Node's `import()` throws for a package that is not installed. */
export function moduleNotFound(specifier: string): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/index.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

/**
 * Registers a tfjs backend called `name` that is really a fresh cpu backend (with
 * the cpu kernels copied under the new name) carrying the `extra` fields, or one
 * whose initialization fails when `extra` is `'fail'`.
 */
export function registerFakeBackend(name: string, extra: Record<string, unknown> | 'fail'): void {
  const cpuFactory = tf.findBackendFactory('cpu')!;
  tf.registerBackend(name, async () => {
    if (extra === 'fail') throw new Error(`fake ${name} backend failed to initialize`);
    return Object.assign(await cpuFactory(), extra);
  });
  for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: name });
}

/** Undoes {@link registerFakeBackend}; call after switching tfjs to another backend. */
export function removeFakeBackend(name: string): void {
  for (const kernel of tf.getKernelsForBackend(name)) tf.unregisterKernel(kernel.kernelName, name);
  if (tf.findBackendFactory(name) !== null) tf.removeBackend(name);
}

/** An importer standing in for `@tensorflow/tfjs-node-gpu`: loading it registers a fake `tensorflow` backend. */
export function fakeTfjsNodeGpu(fields: { isGPUPackage: boolean; isUsingGpuDevice: boolean }, calls: string[] = []): ModuleImporter {
  return async (specifier) => {
    calls.push(specifier);
    if (specifier !== '@tensorflow/tfjs-node-gpu') throw moduleNotFound(specifier);
    registerFakeBackend('tensorflow', fields);
    return {};
  };
}

/** A WebGPU adapter whose device request succeeds, or fails with `rejectWith`. */
export function fakeAdapter(rejectWith?: string): unknown {
  return {
    info: { vendor: 'fake', architecture: 'software', description: 'test adapter' },
    requestDevice: async () => {
      if (rejectWith !== undefined) throw new Error(rejectWith);
      return { destroy: () => undefined };
    },
  };
}

/**
 * An importer standing in for `webgpu` (whose `create()` yields `adapter`, or throws
 * `createError`) and for `@tensorflow/tfjs-backend-webgpu` (loading it registers a
 * fake `webgpu` backend, failing to initialize when `backend` is `'fail'`).
 */
export function fakeDawn(
  adapter: unknown,
  options: { createError?: string; backend?: 'ok' | 'fail'; calls?: string[] } = {},
): ModuleImporter {
  return async (specifier) => {
    options.calls?.push(specifier);
    if (specifier === 'webgpu') {
      return {
        create: () => {
          if (options.createError !== undefined) throw new Error(options.createError);
          return { requestAdapter: async () => adapter };
        },
        globals: { FAKE_GPU_BUFFER_USAGE: { STORAGE: 128 } },
      };
    }
    if (specifier === '@tensorflow/tfjs-backend-webgpu') {
      registerFakeBackend('webgpu', options.backend === 'fail' ? 'fail' : {});
      return {};
    }
    throw moduleNotFound(specifier);
  };
}

/** Removes `navigator.gpu` and the fake globals a WebGpuRuntime probe installed. */
export function resetWebGpuGlobals(): void {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav !== undefined) Reflect.deleteProperty(nav, 'gpu');
  Reflect.deleteProperty(globalThis, 'FAKE_GPU_BUFFER_USAGE');
}
