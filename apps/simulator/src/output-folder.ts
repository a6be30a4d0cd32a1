import { constants } from 'node:fs';
import { access, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { ValueError } from '@fedkit/core';

import { listCheckpoints } from './checkpoint.js';

/** What a run writes into `--out`: a folder holding any of these is another run's. */
export const RUN_OUTPUTS = ['checkpoints', 'config.json', 'metrics.jsonl', 'metrics.csv', 'report.html'] as const;

/**
 * Makes `--out` ready for a run, before anything is written to it:
 * - creates it one level at a time (Node's recursive `mkdir` never returns
 *   under `/proc`), failing at once with the path that cannot be made;
 * - a fresh run refuses a folder that holds another run's outputs, unless
 *   `overwrite`, which deletes those outputs (and nothing else);
 * - `resume` requires `config.json` and at least one checkpoint.
 * @throws ValueError with the fix (another `--out`, `--resume` or `--overwrite`).
 * @example
 * ```ts
 * await prepareOutputFolder('out', { resume: false, overwrite: false });
 * ```
 */
export async function prepareOutputFolder(out: string, options: { readonly resume: boolean; readonly overwrite: boolean }): Promise<void> {
  const dir = resolve(out);
  await makeFolder(dir);
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new ValueError(`--out ${dir} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a folder you can write to.`);
  }
  const present = (await readdir(dir)).filter((n) => (RUN_OUTPUTS as readonly string[]).includes(n));
  if (options.resume) {
    if (options.overwrite) throw new ValueError('--resume and --overwrite contradict each other: --resume continues the run in --out, --overwrite deletes it. Pass one.');
    if (!present.includes('config.json')) {
      throw new ValueError(`--resume: ${join(dir, 'config.json')} does not exist, so there is no run to resume in ${dir}. Drop --resume to start a new run, or pass the --out of the run to resume.`);
    }
    if ((await listCheckpoints(join(dir, 'checkpoints'))).length === 0) {
      throw new ValueError(`--resume: no checkpoint in ${join(dir, 'checkpoints')}, so there is nothing to resume. Drop --resume and pass --overwrite to start the run again in ${dir}.`);
    }
    return;
  }
  if (present.length === 0) return;
  if (!options.overwrite) {
    throw new ValueError(
      `--out ${dir} already holds a run (${present.join(', ')}). Pass --resume to continue it, another --out for a new run, or --overwrite to delete its outputs and start again.`,
    );
  }
  for (const n of present) await rm(join(dir, n), { recursive: true, force: true });
}

// One level at a time: each mkdir fails with its own error code instead of looping.
async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    try {
      const s = await stat(at);
      if (!s.isDirectory()) throw new ValueError(`--out ${dir}: ${at} exists and is not a folder; choose another --out.`);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        if (e instanceof ValueError) throw e;
        throw new ValueError(`--out ${dir}: cannot inspect ${at} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose another --out.`);
      }
      missing.unshift(at);
      const parent = dirname(at);
      if (parent === at) break;
      at = parent;
    }
  }
  for (const m of missing) {
    try {
      await mkdir(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new ValueError(`--out ${dir}: cannot create ${m} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a folder you can write to.`);
    }
  }
}
