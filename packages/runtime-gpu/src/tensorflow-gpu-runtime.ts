import * as tf from '@tensorflow/tfjs';
import type { RuntimePlugin } from '@fedkit/core';

import { errorMessage, importModule, isModuleNotFound, type ModuleImporter } from './module-importer.js';

/** The npm package of TensorFlow.js's CUDA runtime (libtensorflow-gpu through N-API). */
export const TFJS_NODE_GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';

/** The two fields tfjs-node's `NodeJSKernelBackend` exposes about where it computes. */
interface NodeKernelBackendLike {
  readonly isGPUPackage?: unknown;
  readonly isUsingGpuDevice?: unknown;
}

/** Options of {@link TensorflowGpuRuntime}. */
export interface TensorflowGpuRuntimeOptions {
  /** Priority among runtimes (default 100: above webgpu, wasm and cpu). */
  readonly priority?: number;
  /** How `@tensorflow/tfjs-node-gpu` is loaded (default: dynamic `import()`). */
  readonly importModule?: ModuleImporter;
}

/**
 * The `tensorflow-gpu` runtime: tfjs's `tensorflow` backend from
 * `@tensorflow/tfjs-node-gpu`, i.e. libtensorflow 2.9 on CUDA.
 *
 * The package is loaded lazily, on the first `isAvailable()`, never at import.
 * It counts as available only when it loads, registers its backend with this
 * process's tfjs, and libtensorflow reports that it uses a GPU device; a CPU-only
 * libtensorflow does not count. `isAvailable()` never throws.
 *
 * @example
 * ```ts
 * const gpu = new TensorflowGpuRuntime();
 * if (!(await gpu.isAvailable())) console.log(gpu.unavailableReason());
 * ```
 */
export class TensorflowGpuRuntime implements RuntimePlugin {
  readonly name = 'tensorflow-gpu';
  readonly device = 'gpu' as const;
  readonly priority: number;
  private readonly load: ModuleImporter;
  private probe: Promise<string | undefined> | undefined;
  private reason: string | undefined;

  constructor(options: TensorflowGpuRuntimeOptions = {}) {
    this.priority = options.priority ?? 100;
    this.load = options.importModule ?? importModule;
  }

  /** Loads `@tensorflow/tfjs-node-gpu` once and checks that libtensorflow uses a GPU. */
  async isAvailable(): Promise<boolean> {
    this.probe ??= this.check().catch((e: unknown) => `probing ${TFJS_NODE_GPU_PACKAGE} failed: ${errorMessage(e)}`);
    this.reason = await this.probe;
    return this.reason === undefined;
  }

  /** Why the last `isAvailable()` resolved false; `undefined` when it resolved true or was not called. */
  unavailableReason(): string | undefined {
    return this.reason;
  }

  /** Makes `tensorflow` tfjs's active backend. */
  async activate(): Promise<void> {
    if (!(await this.isAvailable())) throw new Error(`the tensorflow-gpu runtime is unavailable: ${this.reason ?? 'unknown reason'}`);
    const ok = await tf.setBackend('tensorflow');
    if (!ok) {
      throw new Error('tf.setBackend("tensorflow") resolved false: libtensorflow failed to initialize (its error is logged above).');
    }
  }

  private async check(): Promise<string | undefined> {
    const before = tf.getBackend() as string | undefined;
    try {
      await this.load(TFJS_NODE_GPU_PACKAGE);
    } catch (e) {
      if (isModuleNotFound(e, TFJS_NODE_GPU_PACKAGE)) {
        return (
          `${TFJS_NODE_GPU_PACKAGE} is not installed: it is an optional dependency, dropped by npm when its install script ` +
          'cannot download libtensorflow-gpu. On Linux x64 with CUDA 11.2 and cuDNN 8.1, ' +
          `run \`npm install ${TFJS_NODE_GPU_PACKAGE}@4.22.0\` with internet access`
        );
      }
      return `${TFJS_NODE_GPU_PACKAGE} is installed but failed to load; libtensorflow or a CUDA library it links is missing: ${errorMessage(e)}`;
    }
    if (tf.findBackendFactory('tensorflow') === null) {
      return (
        `${TFJS_NODE_GPU_PACKAGE} loaded but registered no "tensorflow" backend with this process's @tensorflow/tfjs: ` +
        'there are two copies of @tensorflow/tfjs-core; check `npm ls @tensorflow/tfjs-core`, then `npm dedupe`'
      );
    }
    let backend = tf.findBackend('tensorflow') as NodeKernelBackendLike | null;
    if (backend === null) {
      // The backend's constructor is where libtensorflow is asked about devices, so it must be created.
      const ok = await tf.setBackend('tensorflow');
      backend = ok ? (tf.findBackend('tensorflow') as NodeKernelBackendLike | null) : null;
    }
    // tfjs-node makes its backend the active one when loaded; which backend runs is selectRuntime's choice.
    if (before !== undefined && before !== null && tf.getBackend() !== before) await tf.setBackend(before);
    if (backend === null) {
      return 'tf.setBackend("tensorflow") resolved false: libtensorflow failed to initialize; its error is logged above';
    }
    if (backend.isGPUPackage !== true) {
      return 'the "tensorflow" backend in this process comes from the CPU build @tensorflow/tfjs-node, not from @tensorflow/tfjs-node-gpu';
    }
    if (backend.isUsingGpuDevice !== true) {
      return (
        `${TFJS_NODE_GPU_PACKAGE} loaded, but libtensorflow found no CUDA GPU: check that \`nvidia-smi\` lists one and that ` +
        'the CUDA 11.2 and cuDNN 8.1 libraries are on LD_LIBRARY_PATH'
      );
    }
    return undefined;
  }
}
