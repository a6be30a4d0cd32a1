import { randomUUID } from 'node:crypto';

import { ValueError, type FinalizedMetrics, type LearningProcess } from '@fedkit/core';

import { loadLatestCheckpoint, type CheckpointableState, type RejectedCheckpoint } from './checkpoint.js';
import type { SimulationEvent } from './simulation-event.js';
import type { SimulationOptions } from './simulation-options.js';
import type { UniformSamplerState } from './uniform-sampler.js';

/** The mutable state of one subscription's run. */
export interface RunContext<S extends CheckpointableState> {
  readonly process: LearningProcess<S>;
  state: S;
  readonly startRound: number;
  readonly resumedFrom?: string;
  /** Written in every checkpoint manifest; pruning only deletes checkpoints of this id. */
  readonly runId: string;
  /** Newer checkpoints that failed verification on resume. */
  readonly rejected: readonly RejectedCheckpoint[];
  readonly history: SimulationEvent[];
  lastSaved: number;
  stopped: boolean;
  totalExamples: number;
  readonly startedAt: number;
  lastTrain?: FinalizedMetrics;
  lastEval?: FinalizedMetrics;
}

/**
 * Builds a run: makes the process, and on `resume` restores the latest
 * checkpoint (refusing one sampled differently) with its event history.
 */
export async function setupRun<S extends CheckpointableState>(options: SimulationOptions<S>, samplerState: UniformSamplerState): Promise<RunContext<S>> {
  if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new RangeError(`rounds must be a positive integer, found ${options.rounds}.`);
  const process = typeof options.process === 'function' ? options.process() : options.process;
  let state = process.initialize();
  let startRound = 1;
  let resumedFrom: string | undefined;
  let history: SimulationEvent[] = [];
  let runId = options.checkpoint?.runId;
  let rejected: readonly RejectedCheckpoint[] = [];
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
      runId ??= cp.manifest.runId;
      rejected = cp.rejected;
      history = (cp.extra['history'] as SimulationEvent[] | undefined) ?? [];
    }
  }
  const run: RunContext<S> = {
    process,
    state,
    startRound,
    ...(resumedFrom === undefined ? {} : { resumedFrom }),
    runId: runId ?? randomUUID(),
    rejected,
    history,
    lastSaved: startRound - 1,
    stopped: false,
    totalExamples: 0,
    startedAt: performance.now(),
  };
  const last = [...history].reverse();
  const lastRound = last.find((e) => e.kind === 'round-finished');
  const lastEval = last.find((e) => e.kind === 'evaluated');
  if (lastRound?.kind === 'round-finished') run.lastTrain = lastRound.train;
  if (lastEval?.kind === 'evaluated') {
    const m = lastEval.centralized ?? lastEval.federated;
    if (m !== undefined) run.lastEval = m;
  }
  return run;
}
