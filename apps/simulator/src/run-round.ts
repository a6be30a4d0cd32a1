import type { ClientDataset, ClientReport } from '@fedkit/core';

import { saveCheckpoint, type CheckpointableState } from './checkpoint.js';
import type { RunContext } from './run-context.js';
import type { SimulationEvent } from './simulation-event.js';
import { numClientsOf, type ClientDataSource, type SimulationOptions } from './simulation-options.js';
import type { UniformSamplerState } from './uniform-sampler.js';

/**
 * One round of a run: samples' datasets, `process.next` with a
 * `client-finished` event per client as it finishes, then `round-finished`,
 * evaluation and a checkpoint when due. A graceful stop during the round
 * marks the run stopped and keeps the last completed round's state; a round
 * that fails checkpoints the last completed round before its error ends the run.
 */
export async function runRound<S extends CheckpointableState>(
  options: SimulationOptions<S>,
  run: RunContext<S>,
  round: number,
  clientIds: readonly number[],
  signal: AbortSignal,
  emit: (e: SimulationEvent) => void,
): Promise<void> {
  // Let the event loop turn between rounds: a run that never waits on I/O (small in-process tasks)
  // would otherwise starve signal handlers (Ctrl-C) and stdout until it ends.
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) return;
  if (options.stopSignal?.aborted === true) {
    run.stopped = true;
    return;
  }
  // One signal for the round: unsubscribing or a graceful stop both interrupt the clients.
  const roundSignal = options.stopSignal === undefined ? signal : AbortSignal.any([signal, options.stopSignal]);
  emit({ kind: 'round-started', round, clientIds });
  const data = clientIds.map((id): ClientDataset =>
    Array.isArray(options.clientData) ? (options.clientData as readonly ClientDataset[])[id]! : (options.clientData as ClientDataSource).datasetFor(id, round, roundSignal),
  );
  let done = 0;
  const onClientFinished = (r: ClientReport): void => {
    done += 1;
    emit({
      kind: 'client-finished',
      round,
      clientId: clientIds[r.clientIndex] ?? r.clientIndex,
      ok: r.ok,
      numExamples: r.numExamples,
      ms: r.ms,
      ...(r.error === undefined ? {} : { error: r.error }),
      done,
      total: clientIds.length,
    });
  };
  const start = performance.now();
  let out;
  try {
    out = await run.process.next(run.state, data, {
      signal: roundSignal,
      round,
      clientIds,
      onClientFinished,
      ...(options.clientTimeoutMs === undefined ? {} : { clientTimeoutMs: options.clientTimeoutMs }),
    });
  } catch (e) {
    if (stopRequested(options) && !signal.aborted) {
      run.stopped = true;
      return;
    }
    // A round that fails (workers that keep dying, every client failing) ends the run: first keep the
    // last completed round, so that --resume continues from it once the cause is fixed.
    if (!signal.aborted && options.checkpoint !== undefined && run.state.round > 0 && run.lastSaved !== run.state.round) {
      try {
        emit(await checkpointNow(options, run));
      } catch (saving) {
        throw new Error(`${(e as Error).message}; then the checkpoint of round ${run.state.round} failed too: ${(saving as Error).message}`, { cause: e });
      }
    }
    throw e;
  }
  const durationMs = performance.now() - start;
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
      ...(m.personalization === undefined ? {} : { personalization: m.personalization }),
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

/** Writes a checkpoint of the run's current state (with the sampler and the event history). */
export async function checkpointNow<S extends CheckpointableState>(options: SimulationOptions<S>, run: RunContext<S>): Promise<SimulationEvent> {
  const cp = options.checkpoint!;
  const path = await saveCheckpoint(cp.dir, run.state, { sampler: samplerStateOf(options), history: run.history }, {
    ...(cp.model ?? {}),
    keep: cp.keep ?? 2,
    runId: run.runId,
    ...(cp.meta === undefined ? {} : { meta: cp.meta }),
  });
  run.lastSaved = run.state.round;
  return { kind: 'checkpoint-saved', round: run.state.round, path };
}

/** The uniform sampler's state for these options (what a resume must match). */
export function samplerStateOf(options: Pick<SimulationOptions, 'clientData' | 'clientsPerRound' | 'seed'>): UniformSamplerState {
  return { kind: 'uniform', numClients: numClientsOf(options), clientsPerRound: options.clientsPerRound, seed: options.seed ?? 0 };
}

/** The events that end a run: a last checkpoint when one is due, then `run-finished`. */
export async function finishRun<S extends CheckpointableState>(options: SimulationOptions<S>, run: RunContext<S>): Promise<SimulationEvent[]> {
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

// A function, not an inline test: the stop signal can fire while `process.next` awaits.
function stopRequested(options: Pick<SimulationOptions, 'stopSignal'>): boolean {
  return options.stopSignal?.aborted === true;
}
