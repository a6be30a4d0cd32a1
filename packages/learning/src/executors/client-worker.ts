/**
 * The body of one worker thread of {@link WorkerPoolExecutor}: builds its
 * {@link ClientEnvironment} from the environment module (which registers the
 * same plugins and activates the same runtime as the main thread, then builds
 * the task's model once), then runs client tasks through {@link runClientTask},
 * the same code path as in-process.
 *
 * The main thread posts each round's tasks once to every worker, with a claim
 * board in shared memory ({@link TaskClaims}); a free worker claims the next
 * task itself, so it never waits for the main thread between clients. Results
 * go back in reusable shared buffers ({@link ResultBuffers}) when they fit.
 */
import { parentPort, workerData } from 'node:worker_threads';

import type { ClientEnvironment, ClientTask, ClientTaskOutcome, CreateClientEnvironment, EnvironmentSpec } from '@fedkit/core';

import { runClientTask } from '../run-client-task.js';
import { ResultBuffers } from './result-buffers.js';
import { fromShared, type SharedLabeledArrays } from './shared-arrays.js';
import { TaskClaims } from './task-claims.js';

interface Init {
  readonly environment: EnvironmentSpec;
  readonly shared?: SharedLabeledArrays;
  /** This worker's claim tag (> 0, unique in the pool). */
  readonly tag: number;
}

/** One round's tasks as the main thread posts them (see WorkerPoolExecutor). */
export interface BoardMessage {
  readonly type: 'board';
  readonly id: number;
  readonly claims: Int32Array;
  readonly jobs: readonly { readonly id: number; readonly task: ClientTask; readonly timeoutMs?: number }[];
}

interface Board {
  readonly message: BoardMessage;
  readonly claims: TaskClaims;
  /** Tasks before this index are claimed (by someone): the next claim starts here. */
  cursor: number;
}

const init = workerData as Init;
const port = parentPort!;
const boards: Board[] = [];
const results = new ResultBuffers();
let draining = false;
let current: { readonly board: number; readonly controller: AbortController } | undefined;

async function main(): Promise<void> {
  const mod = (await import(init.environment.module)) as { createClientEnvironment?: CreateClientEnvironment };
  if (typeof mod.createClientEnvironment !== 'function') {
    throw new TypeError(`The environment module ${init.environment.module} must export createClientEnvironment(options, context).`);
  }
  const env: ClientEnvironment = await mod.createClientEnvironment(init.environment.options, init.shared === undefined ? {} : { sharedData: fromShared(init.shared) });
  port.on('message', (msg: BoardMessage | { type: 'abort'; board: number }) => {
    if (msg.type === 'abort') {
      const i = boards.findIndex((b) => b.message.id === msg.board);
      if (i >= 0) boards.splice(i, 1);
      if (current?.board === msg.board) current.controller.abort(new DOMException('The round was aborted.', 'AbortError'));
      return;
    }
    boards.push({ message: msg, claims: new TaskClaims(msg.claims), cursor: 0 });
    drain(env).catch(fatal);
  });
  port.postMessage({ ready: true, runtime: env.runtime, runtimeMessage: env.runtimeMessage });
}

/** Runs clients while any board has an unclaimed task: claim, tell the main thread, run, post the outcome. */
async function drain(env: ClientEnvironment): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    while (boards.length > 0) {
      const board = boards[0]!;
      const index = board.claims.claim(init.tag, board.cursor);
      if (index < 0) {
        boards.shift();
        continue;
      }
      board.cursor = index + 1;
      const job = board.message.jobs[index]!;
      port.postMessage({ started: job.id });
      const controller = new AbortController();
      current = { board: board.message.id, controller };
      try {
        const outcome = await runClientTask(job.task, env, { signal: controller.signal, ...(job.timeoutMs === undefined ? {} : { timeoutMs: job.timeoutMs }) });
        post(job.id, outcome);
      } catch {
        port.postMessage({ id: job.id, aborted: true });
      } finally {
        current = undefined;
      }
    }
  } finally {
    draining = false;
  }
}

/** Posts an outcome, its arrays in a lent shared buffer when one is free, else transferred. */
function post(id: number, outcome: ClientTaskOutcome): void {
  if (!outcome.ok) {
    port.postMessage({ id, outcome });
    return;
  }
  const { update, outputs } = outcome.result;
  const names = Object.keys(outputs ?? {});
  const arrays = [...update, ...names.flatMap((n) => outputs![n]!)];
  const views = results.lend(arrays);
  if (views === undefined) {
    // Each buffer once (arrays may share one), and never shared memory (it cannot be transferred).
    const transfer = [...new Set(arrays.map((a) => a.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    port.postMessage({ id, outcome }, transfer);
    return;
  }
  let at = update.length;
  const lentOutputs = Object.fromEntries(names.map((n) => [n, outputs![n]!.map(() => views[at++]!)]));
  const result = { ...outcome.result, update: views.slice(0, update.length), ...(outputs === undefined ? {} : { outputs: lentOutputs }) };
  port.postMessage({ id, outcome: { ...outcome, result }, lent: true });
}

function fatal(e: unknown): void {
  port.postMessage({ fatal: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}

main().catch(fatal);
