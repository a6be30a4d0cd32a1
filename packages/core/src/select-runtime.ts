import type { DependencyContainer } from 'tsyringe';

import { browserRuntimes, isBrowser } from './browser-backend-runtime.js';
import { CpuRuntime } from './cpu-runtime.js';
import { emitWarning } from './emit-warning.js';
import { ValueError } from './errors.js';
import { pluginsByName } from './fedkit-container.js';
import { RUNTIME_PLUGIN, type RuntimePlugin } from './plugin-tokens.js';

/** What {@link selectRuntime} chose and why. */
export interface RuntimeSelection {
  /** The runtime now active (its backend is tfjs's current backend). */
  readonly runtime: RuntimePlugin;
  /** One line for the user: what was chosen and why each other runtime was not. */
  readonly message: string;
  /** Why each runtime that was tried and not chosen was passed over. */
  readonly skipped: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

/**
 * Activates a tensor runtime: the one named by `preferred`, else the available
 * runtime with the highest priority. `preferred` may be a runtime name, `'gpu'`
 * (the best available runtime whose `device` is `'gpu'`) or `'auto'`.
 *
 * The built-in `cpu` runtime always exists; in a browser, so do `webgpu`,
 * `webgl` and `wasm` (in that order of preference) when tfjs has their backend
 * registered (see {@link BrowserBackendRuntime}). When the preferred runtime is
 * unavailable or fails to activate, this warns ({@link emitWarning}) and falls
 * back by priority; it never reports a backend that did not initialize.
 *
 * @throws ValueError when `preferred` names no registered runtime.
 * @throws Error when no runtime at all could be activated.
 * @example
 * ```ts
 * const { runtime, message } = await selectRuntime(container, 'auto');
 * console.log(message); // 'runtime: wasm (priority 10); not chosen: cpu (lower priority)'
 * ```
 */
export async function selectRuntime(container: DependencyContainer, preferred = 'auto'): Promise<RuntimeSelection> {
  const byName = pluginsByName<RuntimePlugin>(container, RUNTIME_PLUGIN);
  if (!byName.has('cpu')) byName.set('cpu', new CpuRuntime());
  // In a browser the tfjs backends it provides count as runtimes too, unless a plugin registered one by that name.
  if (isBrowser()) for (const r of browserRuntimes()) if (!byName.has(r.name)) byName.set(r.name, r);
  const all = [...byName.values()].sort((a, b) => b.priority - a.priority);

  let wanted: RuntimePlugin[];
  if (preferred === 'auto') {
    wanted = [];
  } else if (preferred === 'gpu') {
    wanted = all.filter((r) => r.device === 'gpu');
  } else {
    const named = byName.get(preferred);
    if (named === undefined) {
      throw new ValueError(
        `Unknown runtime "${preferred}". Registered runtimes: ${[...byName.keys()].sort().join(', ')}, plus "auto" and "gpu". ` +
          'Register its plugin first (e.g. registerWasmRuntime(container)).',
      );
    }
    wanted = [named];
  }

  const skipped: { name: string; reason: string }[] = [];
  const tryActivate = async (r: RuntimePlugin): Promise<boolean> => {
    let available: boolean;
    try {
      available = await r.isAvailable();
    } catch (e) {
      available = false;
      skipped.push({ name: r.name, reason: `isAvailable() threw: ${(e as Error).message}` });
      return false;
    }
    if (!available) {
      skipped.push({ name: r.name, reason: r.unavailableReason?.() ?? 'not available' });
      return false;
    }
    try {
      await r.activate();
      return true;
    } catch (e) {
      skipped.push({ name: r.name, reason: `failed to activate: ${(e as Error).message}` });
      return false;
    }
  };

  for (const r of wanted) {
    if (await tryActivate(r)) return done(r, skipped, all);
  }
  if (preferred !== 'auto') {
    const why = wanted.length === 0 ? 'no GPU runtime is registered' : skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
    emitWarning(`Runtime "${preferred}" is unavailable (${why}); falling back to the best available runtime.`, {
      code: 'FEDKIT_RUNTIME_FALLBACK',
    });
  }
  for (const r of all) {
    if (wanted.includes(r)) continue;
    if (await tryActivate(r)) return done(r, skipped, all);
  }
  throw new Error(
    `No tensor runtime could be activated: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}. ` +
      'Install @tensorflow/tfjs, which provides the cpu backend.',
  );
}

function done(
  runtime: RuntimePlugin,
  skipped: { name: string; reason: string }[],
  all: readonly RuntimePlugin[],
): RuntimeSelection {
  const others = all
    .filter((r) => r !== runtime)
    .map((r) => skipped.find((s) => s.name === r.name) ?? { name: r.name, reason: 'lower priority' });
  const notChosen = others.length > 0 ? `; not chosen: ${others.map((s) => `${s.name} (${s.reason})`).join(', ')}` : '';
  return {
    runtime,
    skipped: others,
    message: `runtime: ${runtime.name} (priority ${runtime.priority})${notChosen}`,
  };
}
