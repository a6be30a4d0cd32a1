import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { ValueError } from '@fedkit/core';

import { listCheckpoints, readCheckpointManifest, sha256Hex } from './checkpoint.js';
import { isTaskPath } from './load-task.js';
import type { SimulatorConfig } from './simulator-config.js';

/** Settings that change the experiment: a resume refuses a new value unless `--allow-config-change`. */
export const EXPERIMENT_KEYS = [
  'task',
  'algorithm',
  'aggregator',
  'clients',
  'clientsPerRound',
  'seed',
  'splitSeed',
  'partition',
  'localEpochs',
  'batchSize',
  'clientOptimizer',
  'clientLr',
  'serverLr',
  'proximalStrength',
] as const satisfies readonly (keyof SimulatorConfig)[];

/**
 * Those the checkpoint itself depends on (the process state's layout, the
 * client sampler, the model): never changed on resume, even with `--allow-config-change`.
 */
export const STATE_KEYS: ReadonlySet<string> = new Set(['task', 'algorithm', 'aggregator', 'clients', 'clientsPerRound', 'seed', 'splitSeed']);

/** A setting changed on resume: `from` is what `config.json` holds (undefined: the default). */
export interface ConfigChange {
  readonly key: string;
  readonly from: unknown;
  readonly to: unknown;
}

function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function same(key: string, a: unknown, b: unknown): boolean {
  if (key === 'task' && typeof a === 'string' && typeof b === 'string' && isTaskPath(a) && isTaskPath(b)) return resolve(a) === resolve(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Compares the settings given for a resume (flags and `--config`) with the
 * saved `config.json` of the run.
 * @returns the changes, when `allowChange` permits them.
 * @throws ValueError naming each changed setting with both values and the fix.
 * @example
 * ```ts
 * const changes = checkResumeConfig(saved, { clientLr: 0.05 }, true); // [{ key: 'clientLr', from: 0.1, to: 0.05 }]
 * ```
 */
export function checkResumeConfig(saved: Partial<SimulatorConfig>, given: Partial<SimulatorConfig>, allowChange: boolean): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const key of EXPERIMENT_KEYS) {
    if (given[key] === undefined || same(key, saved[key], given[key])) continue;
    changes.push({ key, from: saved[key], to: given[key] });
  }
  const describe = (cs: readonly ConfigChange[]): string => cs.map((c) => `${flagOf(c.key)} ${JSON.stringify(c.to)} (the run has ${c.from === undefined ? 'the default' : JSON.stringify(c.from)})`).join(', ');
  const fixed = changes.filter((c) => STATE_KEYS.has(c.key));
  if (fixed.length > 0) {
    throw new ValueError(
      `--resume cannot change ${describe(fixed)}: the checkpoint's state and client sampling depend on it. ` +
        'Drop these flags to resume, or start a new run in another --out.',
    );
  }
  if (changes.length > 0 && !allowChange) {
    throw new ValueError(
      `--resume would change the experiment: ${describe(changes)}. ` +
        'Drop these flags to resume as it was, pass --allow-config-change to continue with them (recorded in metrics.jsonl), or start a new run in another --out.',
    );
  }
  return changes;
}

/** Content hashes of the task module (when `task` is a path) and plugin modules, by absolute path. */
export async function moduleHashes(config: Pick<SimulatorConfig, 'task' | 'plugins'>): Promise<Record<string, string>> {
  const paths = [...(isTaskPath(config.task) ? [config.task] : []), ...(config.plugins ?? [])].map((p) => resolve(p));
  const out: Record<string, string> = {};
  for (const p of paths) out[p] = sha256Hex(await readFile(p));
  return out;
}

/**
 * On resume, code may only be imported when the user names it again: the
 * task module and plugins that only the output folder's `config.json` names
 * are refused unless the newest checkpoint's manifest records the same
 * content hash for them (the module is unchanged since the run wrote it).
 * @throws ValueError naming the module and the flag to pass again.
 * @example
 * ```ts
 * await checkResumeModules('out', saved, { task: './my-task.mjs' });
 * ```
 */
export async function checkResumeModules(out: string, saved: Partial<SimulatorConfig>, given: Partial<SimulatorConfig>): Promise<void> {
  const dir = join(resolve(out), 'checkpoints');
  const names = await listCheckpoints(dir);
  const newest = names.at(-1);
  const recorded = newest === undefined ? undefined : (await readCheckpointManifest(join(dir, newest)))?.meta?.['modules'];
  const hashes = (recorded ?? {}) as Record<string, string>;
  const unnamed: { flag: string; path: string }[] = [];
  if (typeof saved.task === 'string' && isTaskPath(saved.task) && given.task === undefined) unnamed.push({ flag: '--task', path: resolve(saved.task) });
  const givenPlugins = new Set((given.plugins ?? []).map((p) => resolve(p)));
  for (const p of saved.plugins ?? []) if (!givenPlugins.has(resolve(p))) unnamed.push({ flag: '--plugin', path: resolve(p) });
  for (const m of unnamed) {
    let hash: string | undefined;
    try {
      hash = sha256Hex(await readFile(m.path));
    } catch {
      hash = undefined;
    }
    if (hash === undefined || hashes[m.path] !== hash) {
      throw new ValueError(
        `--resume would import ${m.path}, which only ${join(resolve(out), 'config.json')} names` +
          `${hash === undefined ? ' (and it cannot be read)' : ' and whose content differs from what the run recorded'}. ` +
          `Pass ${m.flag} ${m.path} again if you trust that code.`,
      );
    }
  }
}
