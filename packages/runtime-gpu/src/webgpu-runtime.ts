import * as tf from '@tensorflow/tfjs';
import type { RuntimePlugin } from '@fedkit/core';

import { errorMessage, importModule, isModuleNotFound, type ModuleImporter } from './module-importer.js';
import { firstDawnMessage, probeAdapterQuietly } from './probe-adapter-quietly.js';

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
  /**
   * Ask Dawn for an adapter in a child process first (capturing what Dawn prints to
   * stderr), and skip Dawn entirely on Linux without a Vulkan loader; Dawn is loaded
   * here only once an adapter exists. Default: true unless `importModule` is given.
   */
  readonly quietProbe?: boolean;
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
 * which step failed. The probe is quiet: on Linux without a Vulkan loader Dawn is
 * not loaded at all, and otherwise a child process asks for the adapter first and
 * captures what Dawn prints to stderr (see `quietProbe`), so a run that ends on
 * another runtime prints no Dawn warning.
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
  private readonly quietProbe: boolean;
  private probe: Promise<string | undefined> | undefined;
  private reason: string | undefined;

  constructor(options: WebGpuRuntimeOptions = {}) {
    this.priority = options.priority ?? 50;
    this.load = options.importModule ?? importModule;
    this.dawnOptions = [...(options.dawnOptions ?? [])];
    this.quietProbe = options.quietProbe ?? options.importModule === undefined;
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
    if (gpu === undefined && this.quietProbe) {
      // Dawn prints its warnings from C++ straight to stderr (with a source frame), on every run of a
      // machine without Vulkan: answer without loading it where the loader is missing, else ask in a child.
      if (process.platform === 'linux' && !vulkanLoaderFound()) return noAdapterReason({ asked: false });
      const probe = await probeAdapterQuietly(this.dawnOptions);
      if (probe.log.includes(`Cannot find package '${WEBGPU_PACKAGE}'`)) return notInstalledReason();
      const said = firstDawnMessage(probe.log);
      if (probe.error !== undefined) return `probing WebGPU in a child process failed: ${probe.error}${said === undefined ? '' : `; it printed: ${said}`}`;
      if (!probe.found) return noAdapterReason({ asked: true, ...(said === undefined ? {} : { said }) });
    }
    if (gpu === undefined) {
      let dawn: DawnModule;
      try {
        dawn = (await this.load(WEBGPU_PACKAGE)) as DawnModule;
      } catch (e) {
        if (isModuleNotFound(e, WEBGPU_PACKAGE)) return notInstalledReason();
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
    if (adapter === null || adapter === undefined) return noAdapterReason({ asked: true });
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

function notInstalledReason(): string {
  return `the "${WEBGPU_PACKAGE}" package, Dawn for Node, is not installed: run \`npm install ${WEBGPU_PACKAGE}@0.6.2\``;
}

/**
 * Why Dawn found no adapter. On Linux Dawn needs the Vulkan loader
 * (libvulkan.so.1) plus a driver it accepts; whether the loader is there tells a
 * missing driver from a rejected one. `asked`: whether Dawn was asked at all
 * (not when the loader is missing); `said`: Dawn's own warning, captured.
 */
function noAdapterReason(how: { readonly asked: boolean; readonly said?: string }): string {
  const head = how.asked ? 'no WebGPU adapter: navigator.gpu.requestAdapter() returned null' : 'no WebGPU adapter';
  const dawn = how.said === undefined ? '' : ` (Dawn: ${how.said})`;
  if (process.platform !== 'linux') return `${head}; Dawn found no GPU driver it can use${dawn}`;
  const fix =
    'a Vulkan driver: the NVIDIA driver for an NVIDIA GPU, or Mesa >= 25 lavapipe as a software fallback, ' +
    'on Debian 12 mesa-vulkan-drivers from bookworm-backports';
  if (!vulkanLoaderFound()) {
    const cause = how.asked ? `${head} because the Vulkan loader libvulkan.so.1 is not installed` : `${head}: the Vulkan loader libvulkan.so.1 is not installed (so Dawn was not loaded)`;
    return `${cause}; install libvulkan1 and ${fix}${dawn}`;
  }
  return (
    `${head}: the Vulkan loader is installed but Dawn rejected every Vulkan driver it found, as it rejects Debian 12's ` +
    `Mesa 22 lavapipe${dawn}; install ${fix}`
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
