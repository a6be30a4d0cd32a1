import type { ClientDataset, FinalizedMetrics, LearningProcess, ModelWeightArrays } from '@fedkit/core';
import type { PersonalizationEvalOutput } from '@fedkit/learning';

import type { CheckpointableState, ModelDescription } from './checkpoint.js';

/** Client datasets made on demand, per client and round (e.g. with a per-round shuffle). */
export interface ClientDataSource {
  readonly numClients: number;
  /** The dataset of `clientId` for `round`; it should stop once `signal` is aborted. */
  datasetFor(clientId: number, round: number, signal: AbortSignal): ClientDataset;
}

/** What {@link SimulationOptions.evaluate} returns. */
export interface EvaluationMetrics {
  readonly centralized?: FinalizedMetrics;
  readonly federated?: FinalizedMetrics;
  /** Personalization evaluation of the global model (TFF's `build_personalization_eval`), when run. */
  readonly personalization?: PersonalizationEvalOutput;
}

/** Options of `simulate`. */
export interface SimulationOptions<S extends CheckpointableState = CheckpointableState> {
  /**
   * The learning process, or a factory called once per subscription (so that
   * each run builds its own models). Per-client progress events come from the
   * round's `onClientFinished`, whatever the executor.
   */
  readonly process: LearningProcess<S> | (() => LearningProcess<S>);
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
  readonly checkpoint?: {
    readonly dir: string;
    readonly every?: number;
    readonly keep?: number;
    readonly model?: ModelDescription;
    /** This run's id in each manifest; a fresh run without one gets a random UUID, a resumed one keeps its checkpoint's. */
    readonly runId?: string;
    /** Extra data for each manifest. */
    readonly meta?: Readonly<Record<string, unknown>>;
  };
  /** Continue from the latest checkpoint in `checkpoint.dir`, if any. */
  readonly resume?: boolean;
  /** A client still running this many milliseconds after it started fails, and the round goes on without it. */
  readonly clientTimeoutMs?: number;
  /** Graceful stop (e.g. Ctrl-C): ends the run after writing a checkpoint of the last completed round. */
  readonly stopSignal?: AbortSignal;
  /** Called once the run is over and no client is running any more (dispose models, stop workers). */
  readonly cleanup?: () => void | Promise<void>;
}

/** The number of clients the options describe. */
export function numClientsOf(options: Pick<SimulationOptions, 'clientData'>): number {
  return Array.isArray(options.clientData) ? options.clientData.length : (options.clientData as ClientDataSource).numClients;
}
