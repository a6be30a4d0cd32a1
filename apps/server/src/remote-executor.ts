import { randomUUID } from 'node:crypto';

import { float32Bytes, float32FromBytes, type ClientMessage, type ServerMessage, type TaskDescription } from '@fedkit/client';
import { ValueError, type ClientExecutor, type ClientTask, type ClientTaskOutcome, type RunClientsOptions } from '@fedkit/core';

import type { ClientSession, InvalidFrame } from './client-session.js';
import { runSecureRound, type SecureAggregationOptions } from './secure-round.js';
import { checkUpdate, type RejectionReason } from './update-check.js';

/** The data reference a federation puts in each round's tasks: which connected session trains. */
export interface RemoteSessionRef {
  readonly kind: 'remote-session';
  readonly session: string;
}

/** What the executor counted in one round. */
export interface RoundTraffic {
  readonly rejected: Record<RejectionReason, number>;
  bytesIn: number;
  bytesOut: number;
  /** Clients that got the task. */
  sent: number;
  /** Tasks cancelled because enough updates had arrived (over-selection). */
  notNeeded: number;
  /** Tasks that failed at the deadline. */
  timedOut: number;
  /** Secure aggregation: quantization step, survivors, dropped. */
  secure?: { step: number; survivors: number; dropped: number };
}

/** Options of {@link RemoteExecutor}. */
export interface RemoteExecutorOptions {
  /** The federation's connected sessions, by session id. */
  readonly sessions: ReadonlyMap<string, ClientSession>;
  readonly task: TaskDescription;
  /** Close the round once this many updates arrived; the other selected clients are cancelled. */
  readonly targetClients: number;
  /** Clients still running this long after the round started fail, and the round goes on without them. */
  readonly deadlineMs: number;
  /** Mask updates on the clients (secure aggregation); the server then only sees their sum. */
  readonly secure?: SecureAggregationOptions;
  /** Called with every masked vector the server receives (for audit logs and tests). */
  readonly onMaskedInput?: (session: string, words: Uint32Array) => void;
}

const emptyTraffic = (): RoundTraffic => ({ rejected: { non_finite: 0, shape: 0, too_large: 0, malformed: 0 }, bytesIn: 0, bytesOut: 0, sent: 0, notNeeded: 0, timedOut: 0 });

/**
 * A {@link ClientExecutor} whose clients are remote: each task goes as a
 * `train` message to the connected session its data reference names, and the
 * client runs it through the same `runClientTask` as every other executor.
 * The round closes when `targetClients` updates arrived (the others, the
 * over-selected ones, are cancelled) or when the deadline passes (Bonawitz
 * et al. 2019, "Towards Federated Learning at Scale", section 2). A
 * disconnect, a refused update (wrong shape, non-finite, oversized,
 * malformed) or a client error is a failed outcome, never an exception.
 */
export class RemoteExecutor implements ClientExecutor {
  readonly name = 'remote';
  readonly acceptsLocalValues = false;
  /** What the last `runClients` counted. */
  traffic: RoundTraffic = emptyTraffic();

  constructor(private readonly options: RemoteExecutorOptions) {}

  async runClients(tasks: readonly ClientTask[], options: RunClientsOptions = {}): Promise<ClientTaskOutcome[]> {
    this.traffic = emptyTraffic();
    const kept: ClientTaskOutcome[] = [];
    const report = (o: ClientTaskOutcome): void => {
      if (options.onOutcome !== undefined) options.onOutcome(o);
      else kept.push(o);
    };
    const bound = tasks.map((task) => ({ task, session: this.sessionOf(task) }));
    if (this.options.secure !== undefined) {
      const outcomes = await runSecureRound(bound, this.messageFor.bind(this), this.options.secure, this.options.task, this.traffic, this.options.deadlineMs, this.options.onMaskedInput);
      for (const o of outcomes) report(o);
      return kept;
    }
    const cancels: ((reason: string, kind: 'notNeeded' | 'timedOut') => void)[] = [];
    let succeeded = 0;
    let pending = tasks.length;
    const cancelAll = (reason: string, kind: 'notNeeded' | 'timedOut'): void => {
      for (const c of cancels.splice(0)) c(reason, kind);
    };
    const timer = setTimeout(() => cancelAll(`the round's deadline of ${this.options.deadlineMs} ms passed`, 'timedOut'), this.options.deadlineMs);
    const onAbort = (): void => cancelAll('the round was aborted', 'timedOut');
    options.signal?.addEventListener('abort', onAbort);
    try {
      await Promise.all(
        bound.map(async ({ task, session }) => {
          const o = await this.runOne(task, session, cancels);
          pending -= 1;
          if (o.ok) succeeded += 1;
          report(o);
          if (succeeded >= this.options.targetClients && pending > 0) cancelAll(`the round closed with ${succeeded} updates (over-selection)`, 'notNeeded');
        }),
      );
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
    options.signal?.throwIfAborted();
    return kept;
  }

  private sessionOf(task: ClientTask): ClientSession | undefined {
    const ref = task.data as unknown as Partial<RemoteSessionRef>;
    if (ref.kind !== 'remote-session' || typeof ref.session !== 'string') {
      throw new ValueError(`The remote executor sends tasks to connected clients and needs { kind: 'remote-session', session } data references, found ${JSON.stringify(ref).slice(0, 80)}.`);
    }
    const s = this.options.sessions.get(ref.session);
    return s !== undefined && s.open ? s : undefined;
  }

  /** The `train` message of a task. */
  private messageFor(task: ClientTask, id: string, secure?: Extract<ServerMessage, { t: 'train' }>['secure']): Extract<ServerMessage, { t: 'train' }> {
    if (typeof task.optimizer === 'function') throw new ValueError('A remote client needs the client optimizer as a config ({ name, learningRate }), not a function.');
    return {
      t: 'train',
      round: task.round,
      task: id,
      weights: [...task.weights.trainable, ...task.weights.nonTrainable].map(float32Bytes),
      update: { name: task.update.name, ...(task.update.config === undefined ? {} : { config: { ...task.update.config } }) },
      ...(task.optimizer === undefined ? {} : { optimizer: { ...task.optimizer } as Record<string, number | string | boolean> }),
      ...(task.inputs === undefined ? {} : { inputs: Object.fromEntries(Object.entries(task.inputs).map(([k, v]) => [k, v.map(float32Bytes)])) }),
      deadlineMs: this.options.deadlineMs,
      ...(secure === undefined ? {} : { secure }),
    };
  }

  private runOne(task: ClientTask, session: ClientSession | undefined, cancels: ((reason: string, kind: 'notNeeded' | 'timedOut') => void)[]): Promise<ClientTaskOutcome> {
    const start = performance.now();
    const fail = (error: string, numExamples = 0, numBatches = 0): ClientTaskOutcome => ({
      clientIndex: task.clientIndex,
      ok: false,
      error: `client ${session?.id ?? task.clientId ?? task.clientIndex}: ${error}`,
      numExamples,
      numBatches,
      ms: performance.now() - start,
    });
    if (session === undefined) return Promise.resolve(fail('not connected when the round started'));
    const id = randomUUID();
    const traffic = this.traffic;
    return new Promise<ClientTaskOutcome>((resolve) => {
      let done = false;
      const inAtStart = session.bytesIn;
      const finish = (o: ClientTaskOutcome): void => {
        if (done) return;
        done = true;
        traffic.bytesIn += session.bytesIn - inAtStart;
        session.task = undefined;
        session.taskHandler = undefined;
        resolve(o);
      };
      const reject = (reason: RejectionReason, message: string): void => {
        traffic.rejected[reason] += 1;
        session.send({ t: 'rejected', round: task.round, task: id, reason: `${reason}: ${message}` });
        finish(fail(`update rejected (${reason}): ${message}`));
      };
      session.task = id;
      session.taskHandler = (m: ClientMessage | InvalidFrame) => {
        if (m.t === 'invalid') {
          reject(m.code === 'too-large' ? 'too_large' : 'malformed', m.message);
          return;
        }
        if (!('task' in m) || m.task !== id) return; // a stale message of an earlier task
        if (m.t === 'failed') finish(fail(m.error));
        else if (m.t === 'result') {
          const c = checkUpdate(m, this.options.task.trainableShapes);
          if (!c.ok) {
            reject(c.reason, c.message);
            return;
          }
          finish({
            clientIndex: task.clientIndex,
            ok: true,
            ms: performance.now() - start,
            result: {
              update: c.update,
              updateWeight: m.updateNonFinite ? 0 : m.numExamples,
              updateNonFinite: m.updateNonFinite,
              numExamples: m.numExamples,
              numBatches: m.numBatches,
              metrics: m.metrics,
              ...(m.extra === undefined ? {} : { extra: m.extra }),
              ...(m.outputs === undefined ? {} : { outputs: Object.fromEntries(Object.entries(m.outputs).map(([k, v]) => [k, v.map(float32FromBytes)])) }),
            },
          });
        }
      };
      cancels.push((reason, kind) => {
        if (done) return;
        traffic[kind] += 1;
        session.send({ t: 'cancel', round: task.round, task: id, reason });
        finish(fail(reason));
      });
      void session.closed.then(({ code, reason }) => {
        if (code === 1009) traffic.rejected.too_large += 1;
        finish(fail(`disconnected (${code}${reason === '' ? '' : ` ${reason}`})`));
      });
      traffic.sent += 1;
      traffic.bytesOut += session.send(this.messageFor(task, id));
    });
  }
}
