import * as tf from '@tensorflow/tfjs';
import type { RuntimePlugin } from '@fedkit/core';

import { errorMessage, importModule, isModuleNotFound, type ModuleImporter } from './module-importer.js';

/** Dawn's Node bindings (prebuilt `dawn.node`). */
export const WEBGPU_PACKAGE = 'webgpu';
/** tfjs's WebGPU backend; it registers itself only if `navigator.gpu` exists when it is first loaded. */
export const TFJS_WEBGPU_BACKEND_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

/** What fedkit uses of the `webgpu` package. */
interface DawnModule {
  create(options: string[]): GpuLike;
  globals: object;
}
interface GpuLike {
  requestAdapter(options?: unknown): Promise<AdapterLike | null>;
}
interface AdapterLike {
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly description?: string };
  requestDevice(descriptor?: unknown): Promise<{ destroy(): void }>;
}

/** Options of {@link WebGpuRuntime}. */
export interface WebGpuRuntimeOptions {
  /** Priority among runtimes (default 50: below tensorflow-gpu, above wasm and cpu). */
  readonly priority?: number;
  /** Dawn options passed to the `webgpu` package's `create()`, e.g. `['backend=vulkan']` (default none). */
  readonly dawnOptions?: readonly string[];
  /** How `webgpu` and `@tensorflow/tfjs-backend-webgpu` are loaded (default: dynamic `import()`). */
  readonly importModule?: ModuleImporter;
}

/**
 * The `webgpu` runtime: tfjs's WebGPU backend running on Dawn (the `webgpu` npm
 * package), which drives the GPU through Vulkan on Linux, Metal on macOS and D3D12
 * on Windows.
 *
 * Nothing happens at import. The first `isAvailable()` loads Dawn, installs the
 * WebGPU globals (`GPUBufferUsage`, ...) and `navigator.gpu` (Node 20 has no
 * `navigator`; on Node >= 21 the property is added to the built-in one; an existing
 * `navigator.gpu` is used as is), asks for an adapter and a device, and only then
 * loads the tfjs backend. `isAvailable()` never throws; `unavailableReason()` says
 * which step failed.
 *
 * @example
 * ```ts
 * const webgpu = new WebGpuRuntime();
 * if (await webgpu.isAvailable()) await webgpu.activate();
 * else console.log(webgpu.unavailableReason());
 * ```
 */
export class WebGpuRuntime implements RuntimePlugin {
  readonly name = 'webgpu';
  readonly device = 'gpu' as const;
  readonly priority: number;
  /** The adapter found by the last successful probe, e.g. `'mesa software: llvmpipe ...'`. */
  adapterDescription: string | undefined;
  private readonly load: ModuleImporter;
  private readonly dawnOptions: string[];
  private probe: Promise<string | undefined> | undefined;
  private reason: string | undefined;

  constructor(options: WebGpuRuntimeOptions = {}) {
    this.priority = options.priority ?? 50;
    this.load = options.importModule ?? importModule;
    this.dawnOptions = [...(options.dawnOptions ?? [])];
  }

  /** Sets up Dawn once and checks for an adapter, a device and the tfjs backend. */
  async isAvailable(): Promise<boolean> {
    this.probe ??= this.check().catch((e: unknown) => `probing WebGPU failed: ${errorMessage(e)}`);
    this.reason = await this.probe;
    return this.reason === undefined;
  }

  /** Why the last `isAvailable()` resolved false; `undefined` when it resolved true or was not called. */
  unavailableReason(): string | undefined {
    return this.reason;
  }

  /** Makes `webgpu` tfjs's active backend; throws when `tf.setBackend('webgpu')` resolves false. */
  async activate(): Promise<void> {
    if (!(await this.isAvailable())) throw new Error(`the webgpu runtime is unavailable: ${this.reason ?? 'unknown reason'}`);
    // tf.getBackend() can still say 'webgpu' after a failed initialization: only the boolean is reliable.
    const ok = await tf.setBackend('webgpu');
    if (!ok) {
      throw new Error(
        `tf.setBackend("webgpu") resolved false on adapter ${this.adapterDescription ?? '(unknown)'}: ` +
          'the driver rejected the device tfjs asked for (its error is logged above).',
      );
    }
  }

  private async check(): Promise<string | undefined> {
    let gpu = existingNavigatorGpu();
    if (gpu === undefined) {
      let dawn: DawnModule;
      try {
        dawn = (await this.load(WEBGPU_PACKAGE)) as DawnModule;
      } catch (e) {
        if (isModuleNotFound(e, WEBGPU_PACKAGE)) {
          return `the "${WEBGPU_PACKAGE}" package, Dawn for Node, is not installed: run \`npm install ${WEBGPU_PACKAGE}@0.6.2\``;
        }
        return `Dawn, the "${WEBGPU_PACKAGE}" package's dawn.node, failed to load on ${process.platform}-${process.arch}: ${errorMessage(e)}`;
      }
      try {
        gpu = dawn.create(this.dawnOptions);
        Object.assign(globalThis, dawn.globals);
        installNavigatorGpu(gpu);
      } catch (e) {
        return `Dawn, the "${WEBGPU_PACKAGE}" package, failed to start on ${process.platform}-${process.arch}: ${errorMessage(e)}`;
      }
    }

    let adapter: AdapterLike | null;
    try {
      adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    } catch (e) {
      return `navigator.gpu.requestAdapter() threw: ${errorMessage(e)}`;
    }
    if (adapter === null || adapter === undefined) return noAdapterReason();
    const description = describeAdapter(adapter);

    try {
      const device = await adapter.requestDevice();
      device.destroy();
    } catch (e) {
      return `the driver rejected WebGPU: adapter ${description} found, but requestDevice() failed: ${errorMessage(e)}`;
    }

    try {
      await this.load(TFJS_WEBGPU_BACKEND_PACKAGE);
    } catch (e) {
      if (isModuleNotFound(e, TFJS_WEBGPU_BACKEND_PACKAGE)) {
        return `${TFJS_WEBGPU_BACKEND_PACKAGE} is not installed: run \`npm install ${TFJS_WEBGPU_BACKEND_PACKAGE}@4.22.0\``;
      }
      return `${TFJS_WEBGPU_BACKEND_PACKAGE} failed to load: ${errorMessage(e)}`;
    }
    if (tf.findBackendFactory('webgpu') === null) {
      return (
        `${TFJS_WEBGPU_BACKEND_PACKAGE} loaded but registered no "webgpu" backend with this process's @tensorflow/tfjs: ` +
        'either it was loaded before navigator.gpu existed, or there are two copies of @tensorflow/tfjs-core; ' +
        'check `npm ls @tensorflow/tfjs-core`'
      );
    }
    this.adapterDescription = description;
    return undefined;
  }
}

function existingNavigatorGpu(): GpuLike | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu ?? undefined;
}

function installNavigatorGpu(gpu: GpuLike): void {
  const g = globalThis as { navigator?: object };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true, enumerable: false });
  }
  Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true, enumerable: true });
}

function describeAdapter(adapter: AdapterLike): string {
  const info = adapter.info;
  const parts = [info?.vendor, info?.architecture].filter((p) => p !== undefined && p !== '').join(' ');
  const text = [parts, info?.description].filter((p) => p !== undefined && p !== '').join(': ');
  return text === '' ? '(no adapter info)' : `"${text}"`;
}

/**
 * Why Dawn found no adapter. On Linux Dawn needs the Vulkan loader
 * (libvulkan.so.1) plus a driver it accepts; whether the loader is there tells a
 * missing driver from a rejected one.
 */
function noAdapterReason(): string {
  const head = 'no WebGPU adapter: navigator.gpu.requestAdapter() returned null';
  if (process.platform !== 'linux') return `${head}; Dawn found no GPU driver it can use`;
  const fix =
    'a Vulkan driver: the NVIDIA driver for an NVIDIA GPU, or Mesa >= 25 lavapipe as a software fallback, ' +
    'on Debian 12 mesa-vulkan-drivers from bookworm-backports';
  if (!vulkanLoaderFound()) return `${head} because the Vulkan loader libvulkan.so.1 is not installed; install libvulkan1 and ${fix}`;
  return (
    `${head}: the Vulkan loader is installed but Dawn rejected every Vulkan driver it found, as it rejects Debian 12's ` +
    `Mesa 22 lavapipe (Dawn's warning above names the missing feature); install ${fix}`
  );
}

/** Whether the dynamic linker can load libvulkan.so.1 (Linux only). */
function vulkanLoaderFound(): boolean {
  try {
    process.dlopen({ exports: {} }, 'libvulkan.so.1');
    return true;
  } catch (e) {
    // A library that loads but is not a Node addon fails later, with "did not self-register".
    return !/cannot open shared object file/.test(errorMessage(e));
  }
}
