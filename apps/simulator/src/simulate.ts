import { concat, concatMap, defer, finalize, from, Observable, of, range, takeWhile } from 'rxjs';

import { ValueError, type ClientDataset, type FinalizedMetrics, type LearningProcess, type ModelWeightArrays } from '@fedkit/core';
import type { ClientExecutor, ClientTask, ClientTaskOutcome } from '@fedkit/learning';

import { loadLatestCheckpoint, saveCheckpoint, type CheckpointableState, type ModelDescription } from './checkpoint.js';
import type { SimulationEvent } from './simulation-event.js';
import { buildUniformSampler, type UniformSamplerState } from './uniform-sampler.js';

/** Client datasets made on demand, per client and round (e.g. with a per-round shuffle). */
export interface ClientDataSource {
  readonly numClients: number;
  /** The dataset of `clientId` for `round`; it should stop once `signal` is aborted. */
  datasetFor(clientId: number, round: number, signal: AbortSignal): ClientDataset;
}

/** Given to a process factory: lets its executor report clients as they finish. */
export interface ProcessContext {
  /**
   * Wraps `inner` so that each client is run as its own `runClients` call, at
   * most `concurrency` at a time, and reported as a `client-finished` event
   * the moment it finishes.
   */
  reportingExecutor(inner: ClientExecutor, concurrency?: number): ClientExecutor;
  /** Aborted when the subscriber unsubscribes. */
  readonly signal: AbortSignal;
}

/** What {@link SimulationOptions.evaluate} returns. */
export interface EvaluationMetrics {
  readonly centralized?: FinalizedMetrics;
  readonly federated?: FinalizedMetrics;
}

/** Options of {@link simulate}. */
export interface SimulationOptions<S extends CheckpointableState = CheckpointableState> {
  /**
   * The learning process, or a factory called once per subscription (preferred:
   * it can pass `ctx.reportingExecutor(...)` as the process's `executor` for
   * live per-client events; a plain process reports its clients after each round).
   */
  readonly process: LearningProcess<S> | ((ctx: ProcessContext) => LearningProcess<S>);
  /** One dataset per client (reused every round), or a per-round source. */
  readonly clientData: readonly ClientDataset[] | ClientDataSource;
  /** Total number of rounds (a resumed run continues up to it). */
  readonly rounds: number;
  readonly clientsPerRound: number;
  /** Seeds client sampling; default 0. */
  readonly seed?: number;
  /** Evaluates the global weights after a round. */
  readonly evaluate?: (weights: ModelWeightArrays, context: { readonly round: number; readonly signal: AbortSignal }) => Promise<EvaluationMetrics>;
  /** Evaluate every N rounds and after the last one; default 1; 0 never. */
  readonly evalEvery?: number;
  /** Where and how often to checkpoint (default every round, keeping 2). */
  readonly checkpoint?: { readonly dir: string; readonly every?: number; readonly keep?: number; readonly model?: ModelDescription };
  /** Continue from the latest checkpoint in `checkpoint.dir`, if any. */
  readonly resume?: boolean;
  /** Graceful stop (e.g. Ctrl-C): ends the run after writing a checkpoint of the last completed round. */
  readonly stopSignal?: AbortSignal;
  /** Called once the run is over and no client is running any more (dispose models, stop workers). */
  readonly cleanup?: () => void | Promise<void>;
}

/** Marks the end of the rounds after a graceful stop; never leaves this module. */
const STOP = Symbol('stop');

interface RunContext<S extends CheckpointableState> {
  readonly process: LearningProcess<S>;
  state: S;
  readonly startRound: number;
  readonly resumedFrom?: string;
  readonly history: SimulationEvent[];
  readonly live: boolean;
  current?: { round: number; clientIds: readonly number[]; done: number; emit: (e: SimulationEvent) => void };
  lastSaved: number;
  stopped: boolean;
  totalExamples: number;
  readonly startedAt: number;
  lastTrain?: FinalizedMetrics;
  lastEval?: FinalizedMetrics;
}

/**
 * Runs a federated simulation as a cold Observable of {@link SimulationEvent}s:
 * nothing happens before `subscribe`, each subscription is a separate run, and
 * unsubscribing aborts it (an `AbortSignal` reaches the round and its clients,
 * which stop before their next batch; the teardown itself is synchronous).
 * Rounds run in order (`concatMap`); a client that throws is reported as a
 * failed `client-finished` and the round goes on without it. Clients are
 * sampled with {@link buildUniformSampler}; checkpoints hold the whole process
 * state, so a resumed run reproduces an uninterrupted one bit for bit.
 *
 * @example
 * ```ts
 * simulate({
 *   process: (ctx) => buildWeightedFedAvg({ modelFn, clientOptimizerFn, executor: ctx.reportingExecutor(new SequentialExecutor(modelFn(), clientOptimizerFn)) }),
 *   clientData, rounds: 10, clientsPerRound: 5, seed: 1,
 * }).subscribe((e) => { if (e.kind === 'round-finished') console.log(e.round, e.train.loss); });
 * ```
 */
export function simulate<S extends CheckpointableState>(options: SimulationOptions<S>): Observable<SimulationEvent> {
  return defer(() => {
    const controller = new AbortController();
    let inflight: Promise<unknown> = Promise.resolve();
    const track = <T>(p: Promise<T>): Promise<T> => {
      inflight = p.catch(() => undefined);
      return p;
    };
    let ctx: RunContext<S> | undefined;
    const seed = options.seed ?? 0;
    const numClients = Array.isArray(options.clientData) ? options.clientData.length : (options.clientData as ClientDataSource).numClients;
    const sampler = buildUniformSampler({ numClients, clientsPerRound: options.clientsPerRound, seed });

    return from(track(setup(options, controller.signal, sampler.state, (c) => (ctx = c)))).pipe(
      concatMap((run) =>
        concat(
          of<SimulationEvent>({
            kind: 'run-started',
            rounds: options.rounds,
            startRound: run.startRound,
            numClients,
            clientsPerRound: options.clientsPerRound,
            seed,
            history: [...run.history],
            ...(run.resumedFrom === undefined ? {} : { resumedFrom: run.resumedFrom }),
          }),
          range(run.startRound, Math.max(0, options.rounds - run.startRound + 1)).pipe(
            concatMap((round) =>
              run.stopped || options.stopSignal?.aborted === true
                ? of(STOP)
                : new Observable<SimulationEvent | typeof STOP>((sub) => {
                    track(runRound(options, run, round, sampler.sample(round), controller.signal, (e) => sub.next(e))).then(
                      () => {
                        if (run.stopped) sub.next(STOP);
                        sub.complete();
                      },
                      (err: unknown) => sub.error(err),
                    );
                  }),
            ),
            // A graceful stop unsubscribes from the remaining rounds at once (no per-round recursion).
            takeWhile((e): e is SimulationEvent => e !== STOP),
          ),
          defer(() => from(track(finish(options, run, sampler.state)))).pipe(concatMap((events) => from(events))),
        ),
      ),
      finalize(() => {
        controller.abort(new DOMException('The simulation was unsubscribed.', 'AbortError'));
        const run = ctx;
        void inflight.then(async () => {
          if (run !== undefined) run.current = undefined;
          await options.cleanup?.();
        });
      }),
    );
  });
}

async function setup<S extends CheckpointableState>(
  options: SimulationOptions<S>,
  signal: AbortSignal,
  samplerState: UniformSamplerState,
  publish: (ctx: RunContext<S>) => void,
): Promise<RunContext<S>> {
  if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new RangeError(`rounds must be a positive integer, found ${options.rounds}.`);
  let ctx: RunContext<S> | undefined;
  const processContext: ProcessContext = {
    signal,
    reportingExecutor: (inner, concurrency = 1) => reportingExecutor(inner, concurrency, () => ctx?.current),
  };
  const live = typeof options.process === 'function';
  const process = typeof options.process === 'function' ? options.process(processContext) : options.process;
  let state = process.initialize();
  let startRound = 1;
  let resumedFrom: string | undefined;
  let history: SimulationEvent[] = [];
  if (options.resume === true) {
    if (options.checkpoint === undefined) throw new ValueError('resume needs checkpoint.dir: the directory to resume from.');
    const cp = await loadLatestCheckpoint<S>(options.checkpoint.dir);
    if (cp !== undefined) {
      const saved = cp.extra['sampler'] as UniformSamplerState | undefined;
      if (saved !== undefined && JSON.stringify(saved) !== JSON.stringify(samplerState)) {
        throw new ValueError(
          `Cannot resume from ${cp.path}: it was sampled with ${JSON.stringify(saved)} but this run asks for ${JSON.stringify(samplerState)}. ` +
            'Resume with the same --clients, --clients-per-round and --seed, or start a new --out directory.',
        );
      }
      state = process.setModelWeights(cp.state, cp.state.globalModelWeights);
      startRound = cp.state.round + 1;
      resumedFrom = cp.path;
      history = (cp.extra['history'] as SimulationEvent[] | undefined) ?? [];
    }
  }
  ctx = {
    process,
    state,
    startRound,
    ...(resumedFrom === undefined ? {} : { resumedFrom }),
    history,
    live,
    lastSaved: startRound - 1,
    stopped: false,
    totalExamples: 0,
    startedAt: performance.now(),
  };
  const last = [...history].reverse();
  const lastRound = last.find((e) => e.kind === 'round-finished');
  const lastEval = last.find((e) => e.kind === 'evaluated');
  if (lastRound?.kind === 'round-finished') ctx.lastTrain = lastRound.train;
  if (lastEval?.kind === 'evaluated') {
    const m = lastEval.centralized ?? lastEval.federated;
    if (m !== undefined) ctx.lastEval = m;
  }
  publish(ctx);
  return ctx;
}

function reportingExecutor(
  inner: ClientExecutor,
  concurrency: number,
  current: () => { round: number; clientIds: readonly number[]; done: number; emit: (e: SimulationEvent) => void } | undefined,
): ClientExecutor {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, found ${concurrency}.`);
  return {
    async runClients(tasks: readonly ClientTask[], options: { readonly signal?: AbortSignal } = {}): Promise<ClientTaskOutcome[]> {
      const outcomes: ClientTaskOutcome[] = [];
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < tasks.length) {
          const task = tasks[next++]!;
          options.signal?.throwIfAborted();
          const [outcome] = await inner.runClients([task], options);
          if (outcome === undefined) throw new Error(`The executor returned no outcome for client index ${task.clientIndex}.`);
          outcomes.push(outcome);
          const c = current();
          if (c !== undefined) {
            c.done += 1;
            c.emit(clientEvent(c.round, c.clientIds[outcome.clientIndex] ?? outcome.clientIndex, outcome, c.done, c.clientIds.length));
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, lane));
      return outcomes;
    },
  };
}

function clientEvent(round: number, clientId: number, o: ClientTaskOutcome, done: number, total: number): SimulationEvent {
  return o.ok
    ? { kind: 'client-finished', round, clientId, ok: true, numExamples: o.result.numExamples, ms: o.ms, done, total }
    : { kind: 'client-finished', round, clientId, ok: false, numExamples: o.numExamples, ms: o.ms, error: withClientId(o.error, clientId), done, total };
}

async function runRound<S extends CheckpointableState>(
  options: SimulationOptions<S>,
  run: RunContext<S>,
  round: number,
  clientIds: readonly number[],
  signal: AbortSignal,
  emit: (e: SimulationEvent) => void,
): Promise<void> {
  // One signal for the round: unsubscribing or a graceful stop both interrupt the clients.
  // Let the event loop turn between rounds: a run that never waits on I/O (small in-process tasks)
  // would otherwise starve signal handlers (Ctrl-C) and stdout until it ends.
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) return;
  if (isStopped(options)) {
    run.stopped = true;
    return;
  }
  const roundSignal = options.stopSignal === undefined ? signal : AbortSignal.any([signal, options.stopSignal]);
  emit({ kind: 'round-started', round, clientIds });
  const data = clientIds.map((id) =>
    Array.isArray(options.clientData) ? (options.clientData as readonly ClientDataset[])[id]! : (options.clientData as ClientDataSource).datasetFor(id, round, roundSignal),
  );
  run.current = { round, clientIds, done: 0, emit };
  const start = performance.now();
  let out;
  try {
    out = await run.process.next(run.state, data, { signal: roundSignal });
  } catch (e) {
    if (isStopped(options) && !signal.aborted) {
      run.stopped = true;
      return;
    }
    throw e;
  } finally {
    run.current = undefined;
  }
  const durationMs = performance.now() - start;
  if (!run.live) {
    let done = 0;
    for (const r of out.clientReports) {
      done += 1;
      emit({
        kind: 'client-finished',
        round,
        clientId: clientIds[r.clientIndex] ?? r.clientIndex,
        ok: r.ok,
        numExamples: r.numExamples,
        ms: r.ms,
        ...(r.error === undefined ? {} : { error: withClientId(r.error, clientIds[r.clientIndex] ?? r.clientIndex) }),
        done,
        total: clientIds.length,
      });
    }
  }
  run.state = out.state;
  const numExamples = out.clientReports.reduce((s, r) => s + (r.ok ? r.numExamples : 0), 0);
  run.totalExamples += numExamples;
  const train = out.metrics.client_work.train;
  run.lastTrain = train;
  const finished: SimulationEvent = {
    kind: 'round-finished',
    round,
    metrics: out.metrics,
    train,
    durationMs,
    examplesPerSecond: durationMs > 0 ? (numExamples * 1000) / durationMs : 0,
    numExamples,
    failures: out.metrics.failures,
  };
  run.history.push(finished);
  emit(finished);

  const every = options.evalEvery ?? 1;
  if (options.evaluate !== undefined && every > 0 && (round % every === 0 || round === options.rounds)) {
    const m = await options.evaluate(run.process.getModelWeights(run.state), { round, signal });
    const evaluated: SimulationEvent = {
      kind: 'evaluated',
      round,
      ...(m.centralized === undefined ? {} : { centralized: m.centralized }),
      ...(m.federated === undefined ? {} : { federated: m.federated }),
    };
    const last = m.centralized ?? m.federated;
    if (last !== undefined) run.lastEval = last;
    run.history.push(evaluated);
    emit(evaluated);
  }
  const cp = options.checkpoint;
  if (cp !== undefined && (round % (cp.every ?? 1) === 0 || round === options.rounds)) {
    emit(await checkpointNow(options, run));
  }
}

async function checkpointNow<S extends CheckpointableState>(options: SimulationOptions<S>, run: RunContext<S>): Promise<SimulationEvent> {
  const cp = options.checkpoint!;
  const numClients = Array.isArray(options.clientData) ? options.clientData.length : (options.clientData as ClientDataSource).numClients;
  const sampler: UniformSamplerState = { kind: 'uniform', numClients, clientsPerRound: options.clientsPerRound, seed: options.seed ?? 0 };
  const path = await saveCheckpoint(cp.dir, run.state, { sampler, history: run.history }, { ...(cp.model ?? {}), keep: cp.keep ?? 2 });
  run.lastSaved = run.state.round;
  return { kind: 'checkpoint-saved', round: run.state.round, path };
}

async function finish<S extends CheckpointableState>(options: SimulationOptions<S>, run: RunContext<S>, _sampler: UniformSamplerState): Promise<SimulationEvent[]> {
  const events: SimulationEvent[] = [];
  const stopped = run.stopped || (options.stopSignal?.aborted === true && run.state.round < options.rounds);
  if (options.checkpoint !== undefined && run.lastSaved !== run.state.round) events.push(await checkpointNow(options, run));
  events.push({
    kind: 'run-finished',
    roundsCompleted: run.state.round,
    stopped,
    ...(run.lastTrain === undefined ? {} : { finalTrain: run.lastTrain }),
    ...(run.lastEval === undefined ? {} : { finalEval: run.lastEval }),
    totalMs: performance.now() - run.startedAt,
    totalExamples: run.totalExamples,
  });
  return events;
}

function isStopped(options: SimulationOptions<CheckpointableState> | SimulationOptions<never>): boolean {
  return options.stopSignal?.aborted === true;
}

/** Client errors name the client by its position in the round; people know it by its id. */
function withClientId(error: string, clientId: number): string {
  return error.replace(/^client \d+:/, `client ${clientId}:`);
}
