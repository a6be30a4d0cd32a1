import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { CpuRuntime, createFedkitContainer, pluginsByName, RUNTIME_PLUGIN, type RuntimePlugin } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

import { registerGpuRuntime } from '../register-gpu-runtime.js';

/** One runtime the numeric suite runs on, or why it cannot here. */
export interface RuntimeCase {
  /** The runtime's name, plus the gist of the reason when it is skipped, as shown in the suite's name. */
  readonly label: string;
  readonly runtime: RuntimePlugin | undefined;
  /** Why the runtime cannot run here, in full; undefined when it can. */
  readonly skipReason: string | undefined;
  /** The tfjs backend name the runtime activates. */
  readonly backend: string;
}

const WASM_PACKAGE = '@fedkit/runtime-wasm';

/** Whether @fedkit/runtime-wasm's built entry point exists (it is a devDependency, built separately). */
export function wasmRuntimeBuilt(): boolean {
  try {
    const manifest = createRequire(import.meta.url).resolve(`${WASM_PACKAGE}/package.json`);
    return existsSync(join(dirname(manifest), 'dist', 'index.js'));
  } catch {
    return false;
  }
}

/** Registers @fedkit/runtime-wasm's runtime into `c` when it is built; returns whether it did. */
export async function registerWasmIfBuilt(c: DependencyContainer): Promise<boolean> {
  if (!wasmRuntimeBuilt()) return false;
  const specifier = WASM_PACKAGE;
  const wasm = (await import(specifier)) as { registerWasmRuntime: (c: DependencyContainer) => unknown };
  wasm.registerWasmRuntime(c);
  return true;
}

/** cpu always; wasm when built; webgpu and tensorflow-gpu when they are available on this machine. */
export async function runtimeCases(): Promise<RuntimeCase[]> {
  const c = createFedkitContainer();
  const cases: RuntimeCase[] = [runtimeCase('cpu', 'cpu', new CpuRuntime(), '')];
  if (await registerWasmIfBuilt(c)) {
    const wasm = pluginsByName<RuntimePlugin>(c, RUNTIME_PLUGIN).get('wasm');
    const ok = wasm !== undefined && (await wasm.isAvailable());
    cases.push(runtimeCase('wasm', 'wasm', ok ? wasm : undefined, wasm?.unavailableReason?.() ?? 'not registered'));
  } else {
    cases.push(runtimeCase('wasm', 'wasm', undefined, `${WASM_PACKAGE} is not built: packages/runtime-wasm/dist is missing`));
  }
  registerGpuRuntime(c);
  const plugins = pluginsByName<RuntimePlugin>(c, RUNTIME_PLUGIN);
  for (const [name, backend] of [['webgpu', 'webgpu'], ['tensorflow-gpu', 'tensorflow']] as const) {
    const plugin = plugins.get(name)!;
    const ok = await plugin.isAvailable();
    cases.push(runtimeCase(name, backend, ok ? plugin : undefined, plugin.unavailableReason?.() ?? 'unavailable'));
  }
  return cases;
}

function runtimeCase(name: string, backend: string, runtime: RuntimePlugin | undefined, reason: string): RuntimeCase {
  if (runtime !== undefined) return { label: name, runtime, skipReason: undefined, backend };
  // The gist is the reason up to its first colon, e.g. "no WebGPU adapter".
  return { label: `${name} (skipped: ${reason.split(':')[0]})`, runtime: undefined, skipReason: reason, backend };
}
