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
import { recycleLent, ResultBuffers } from './result-buffers.js';
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
      // The update is written straight into lent memory (no copy, and no garbage in this isolate per client).
      const allocated: Float32Array[][] = [];
      const allocateUpdate = (lengths: readonly number[]): Float32Array[] | undefined => {
        const views = results.lendEmpty(lengths);
        if (views !== undefined) allocated.push(views);
        return views;
      };
      let posted: Float32Array[] | undefined;
      try {
        const outcome = await runClientTask(job.task, env, { signal: controller.signal, allocateUpdate, ...(job.timeoutMs === undefined ? {} : { timeoutMs: job.timeoutMs }) });
        posted = post(job.id, outcome, allocated);
      } catch {
        port.postMessage({ id: job.id, aborted: true });
      } finally {
        current = undefined;
        // What the block was lent but the outcome does not carry (a failure, a non-finite update replaced by zeros).
        for (const views of allocated) if (views !== posted) recycleLent(views);
      }
    }
  } finally {
    draining = false;
  }
}

/**
 * Posts an outcome: its arrays as they are when the block wrote them into lent memory, else copied into a lent
 * buffer when one is free, else transferred. Returns the allocated views it posted, if any.
 */
function post(id: number, outcome: ClientTaskOutcome, allocated: readonly Float32Array[][]): Float32Array[] | undefined {
  if (!outcome.ok) {
    port.postMessage({ id, outcome });
    return undefined;
  }
  const { update, outputs } = outcome.result;
  const written = outputs === undefined ? allocated.find((views) => views.length === update.length && views.every((v, i) => v === update[i])) : undefined;
  if (written !== undefined) {
    port.postMessage({ id, outcome, lent: true });
    return written;
  }
  const names = Object.keys(outputs ?? {});
  const arrays = [...update, ...names.flatMap((n) => outputs![n]!)];
  const lent = results.lend(arrays);
  // Without a free buffer the arrays are transferred; any over shared memory (lent to the block, say) are copied
  // first, since this worker reuses that memory once the task is over.
  const sent = lent ?? arrays.map((a) => (a.buffer instanceof SharedArrayBuffer ? a.slice() : a));
  let at = update.length;
  const result = {
    ...outcome.result,
    update: sent.slice(0, update.length),
    ...(outputs === undefined ? {} : { outputs: Object.fromEntries(names.map((n) => [n, outputs[n]!.map(() => sent[at++]!)])) }),
  };
  if (lent !== undefined) {
    port.postMessage({ id, outcome: { ...outcome, result }, lent: true });
  } else {
    // Each buffer once (arrays may share one).
    port.postMessage({ id, outcome: { ...outcome, result } }, [...new Set(sent.map((a) => a.buffer as ArrayBuffer))]);
  }
  return undefined;
}

function fatal(e: unknown): void {
  port.postMessage({ fatal: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}

main().catch(fatal);
