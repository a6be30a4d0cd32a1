import type { FinalizedMetrics, RoundMetrics } from '@fedkit/core';
import type { PersonalizationEvalOutput } from '@fedkit/learning';

/** The run begins (after a resume, `startRound` > 1). */
export interface RunStartedEvent {
  readonly kind: 'run-started';
  readonly rounds: number;
  /** First round this run will execute (1-based). */
  readonly startRound: number;
  readonly numClients: number;
  readonly clientsPerRound: number;
  readonly seed: number;
  /** Set when the state came from a checkpoint. */
  readonly resumedFrom?: string;
  /** The run id written in (and read from) the checkpoint manifests. */
  readonly runId?: string;
  /** Events kept from the rounds before a resume (round-finished, evaluated); empty for a fresh run. */
  readonly history: readonly SimulationEvent[];
}

/** A round begins with the sampled clients. */
export interface RoundStartedEvent {
  readonly kind: 'round-started';
  readonly round: number;
  readonly clientIds: readonly number[];
}

/** One client of a round is done, successfully or not. */
export interface ClientFinishedEvent {
  readonly kind: 'client-finished';
  readonly round: number;
  readonly clientId: number;
  readonly ok: boolean;
  readonly numExamples: number;
  readonly ms: number;
  /** The failure, when `ok` is false. */
  readonly error?: string;
  /** Clients of the round finished so far (this one included) and in total. */
  readonly done: number;
  readonly total: number;
}

/** A round's aggregate was applied. */
export interface RoundFinishedEvent {
  readonly kind: 'round-finished';
  readonly round: number;
  /** TFF-shaped round metrics (`client_work.train`, `aggregator`, `finalizer`, `failures`). */
  readonly metrics: RoundMetrics;
  /** Shortcut to `metrics.client_work.train`. */
  readonly train: FinalizedMetrics;
  readonly durationMs: number;
  /** Training examples processed per second of wall time in this round. */
  readonly examplesPerSecond: number;
  readonly numExamples: number;
  readonly failures: number;
}

/** The global model was evaluated after a round. */
export interface EvaluatedEvent {
  readonly kind: 'evaluated';
  readonly round: number;
  /** Metrics on a held-out set evaluated as a whole. */
  readonly centralized?: FinalizedMetrics;
  /** Metrics summed over evaluation clients. */
  readonly federated?: FinalizedMetrics;
  /** Per-client metrics before and after local fine-tuning, and their summary (`--personalization-eval`). */
  readonly personalization?: PersonalizationEvalOutput;
}

/** A checkpoint directory was completed. */
export interface CheckpointSavedEvent {
  readonly kind: 'checkpoint-saved';
  readonly round: number;
  readonly path: string;
}

/** On resume, a damaged checkpoint was passed over in favour of an older one (emitted before `run-started`). */
export interface CheckpointRejectedEvent {
  readonly kind: 'checkpoint-rejected';
  readonly path: string;
  /** What verification found (size, checksum, missing manifest, non-finite weights). */
  readonly reason: string;
}

/** The run ended (all rounds, or a graceful stop). */
export interface RunFinishedEvent {
  readonly kind: 'run-finished';
  /** Rounds completed in total (including those before a resume). */
  readonly roundsCompleted: number;
  /** True when the run ended early through `stopSignal`. */
  readonly stopped: boolean;
  readonly finalTrain?: FinalizedMetrics;
  readonly finalEval?: FinalizedMetrics;
  /** Wall time of this run (not counting earlier runs before a resume). */
  readonly totalMs: number;
  readonly totalExamples: number;
}

/** Everything a simulation emits, discriminated on `kind`. */
export type SimulationEvent =
  | RunStartedEvent
  | RoundStartedEvent
  | ClientFinishedEvent
  | RoundFinishedEvent
  | EvaluatedEvent
  | CheckpointSavedEvent
  | CheckpointRejectedEvent
  | RunFinishedEvent;
