import * as tf from '@tensorflow/tfjs';
import { CpuRuntime } from '@fedkit/core';
import type { WebGpuRuntime } from '@fedkit/runtime-gpu';
import { activateWasm } from '@fedkit/runtime-wasm';

/** The tfjs backends the check compares. */
export type BackendName = 'cpu' | 'wasm' | 'webgpu';

/** Which backends can run here, and why the others cannot. */
export interface Backends {
  readonly available: readonly BackendName[];
  readonly unavailable: Readonly<Partial<Record<BackendName, string>>>;
  /** Makes `name` tfjs's active backend through its fedkit runtime. */
  activate(name: BackendName): Promise<void>;
}

/**
 * cpu always; wasm (with fedkit's training kernels) when it initializes; webgpu when the probe found an adapter.
 *
 * @example
 * ```ts
 * const backends = await detectBackends(runtime, adapterReport.available, adapterReport.reason);
 * await backends.activate('wasm');
 * ```
 */
export async function detectBackends(webgpu: WebGpuRuntime, webgpuAvailable: boolean, webgpuReason: string | undefined): Promise<Backends> {
  const available: BackendName[] = ['cpu'];
  const unavailable: Partial<Record<BackendName, string>> = {};
  try {
    await activateWasm();
    available.push('wasm');
  } catch (e) {
    unavailable.wasm = (e as Error).message;
  }
  if (webgpuAvailable) available.push('webgpu');
  else unavailable.webgpu = webgpuReason ?? 'unavailable';
  const cpu = new CpuRuntime();
  return {
    available,
    unavailable,
    async activate(name) {
      if (name === 'cpu') await cpu.activate();
      else if (name === 'wasm') await activateWasm();
      else await webgpu.activate();
      if (tf.getBackend() !== name) throw new Error(`activating ${name} left tfjs on the ${tf.getBackend()} backend`);
    },
  };
}

/** The message of anything thrown, first line only, for the report. */
export function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
