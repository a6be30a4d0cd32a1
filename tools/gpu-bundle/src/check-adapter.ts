import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { WebGpuRuntime } from '@fedkit/runtime-gpu';

import { importBundled } from './bundled-modules.js';

/** Part 1: the adapter Dawn found, or why there is none. */
export interface AdapterReport {
  readonly available: boolean;
  /** runtime-gpu's one-line description, e.g. `"nvidia discrete-gpu: NVIDIA H200"`. */
  readonly adapter?: string;
  /** Every field of `GPUAdapter.info` (vendor, architecture, device, description; Dawn puts the driver there). */
  readonly info?: Record<string, string>;
  /** Limits that bound model and batch sizes. */
  readonly limits?: Record<string, number>;
  /** runtime-gpu's reason when no adapter or device could be had. */
  readonly reason?: string;
  /** The Vulkan variables run.sh set (which ICD files and libraries Dawn was pointed at). */
  readonly vulkanEnv: Record<string, string>;
  /**
   * The Vulkan driver (ICD) files the loader can see: those the variables name, else the standard folders. Empty
   * means the loader finds no driver at all ("vkCreateInstance: Found no drivers!"), whatever the reason says.
   */
  readonly vulkanDrivers: string[];
  /** `nvidia-smi` names the GPU and driver when the machine has one; absent otherwise. */
  readonly nvidiaSmi?: string;
}

/**
 * Probes WebGPU through runtime-gpu's `WebGpuRuntime` (the same path fedkit uses) and describes the adapter.
 * Returns the runtime so that later parts can activate it.
 *
 * @example
 * ```ts
 * const { report, runtime } = await checkAdapter();
 * if (report.available) await runtime.activate();
 * ```
 */
export async function checkAdapter(): Promise<{ report: AdapterReport; runtime: WebGpuRuntime }> {
  const runtime = new WebGpuRuntime({ importModule: importBundled });
  const available = await runtime.isAvailable();
  const vulkanEnv = Object.fromEntries(
    ['VK_DRIVER_FILES', 'VK_ICD_FILENAMES', 'VK_ADD_DRIVER_FILES', 'LD_LIBRARY_PATH', 'FEDKIT_VULKAN_SOURCE'].flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]!]])),
  );
  const nvidiaSmi = runNvidiaSmi();
  const base = { vulkanEnv, vulkanDrivers: vulkanDriverFiles(), ...(nvidiaSmi === undefined ? {} : { nvidiaSmi }) };
  if (!available) return { report: { available, reason: runtime.unavailableReason() ?? 'unknown', ...base }, runtime };

  // runtime-gpu installed navigator.gpu; ask it again for the details its one-line description leaves out.
  const gpu = (globalThis as unknown as { navigator: { gpu: { requestAdapter(o?: unknown): Promise<AdapterLike | null> } } }).navigator.gpu;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  const info: Record<string, string> = {};
  const limits: Record<string, number> = {};
  if (adapter !== null) {
    for (const k of ['vendor', 'architecture', 'device', 'description']) {
      const v = (adapter.info as Record<string, unknown> | undefined)?.[k];
      if (typeof v === 'string') info[k] = v;
    }
    for (const k of ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup']) {
      const v = (adapter.limits as Record<string, unknown> | undefined)?.[k];
      if (typeof v === 'number') limits[k] = v;
    }
  }
  return { report: { available, adapter: runtime.adapterDescription ?? '(unknown)', info, limits, ...base }, runtime };
}

interface AdapterLike {
  readonly info?: unknown;
  readonly limits?: unknown;
}

function runNvidiaSmi(): string | undefined {
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'], {
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** The ICD files the Vulkan loader would use, following its rules for VK_DRIVER_FILES / VK_ICD_FILENAMES / VK_ADD_DRIVER_FILES. */
function vulkanDriverFiles(): string[] {
  const split = (v: string | undefined): string[] => (v === undefined || v === '' ? [] : v.split(':').filter((f) => f !== ''));
  const added = split(process.env['VK_ADD_DRIVER_FILES']);
  const only = split(process.env['VK_DRIVER_FILES'] ?? process.env['VK_ICD_FILENAMES']);
  if (only.length > 0) return [...only, ...added];
  const dirs = ['/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d'];
  const found = dirs.flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => join(d, f)) : []));
  return [...found, ...added];
}
