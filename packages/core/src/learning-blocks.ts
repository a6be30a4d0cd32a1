import type { Batch } from './batch.js';
import type { IterativeProcessSignature } from './iterative-process.js';
import type { Measurements, MeasuredProcessOutput } from './measured-process.js';
import type { ModelWeightArrays } from './model-weights.js';
import type { Spec } from './spec.js';
import type { StructSpec } from './struct-spec.js';
import type { FinalizedMetrics } from './unfinalized-metrics.js';

/**
 * A tfjs-data `Dataset<Batch>` seen through the one method the training loop
 * uses (duck-typed so that core does not depend on tfjs-data's generics).
 */
export interface BatchDatasetLike {
  iterator(): Promise<{ next(): Promise<IteratorResult<Batch>> }>;
}

/**
 * One client's data: a sync or async iterable of batches, or a tfjs-data
 * `Dataset`. Local epochs come from the dataset itself (repeat it), as in TFF.
 * The consumer disposes each batch's tensors after use.
 */
export type ClientDataset = Iterable<Batch> | AsyncIterable<Batch> | BatchDatasetLike;

/** What one client sends to the server (TFF's `ClientResult`). */
export interface ClientResult {
  /** One array per trainable weight, in Keras order: `initial − trained` for FedAvg (TFF HEAD sign). */
  readonly update: Float32Array[];
  /** The client's aggregation weight (e.g. its number of examples); 0 for an empty or non-finite client. */
  readonly updateWeight: number;
  /** A small struct beside the update (e.g. `local_steps`), handed to streaming aggregators (FedNova uses it). */
  readonly extra?: Readonly<Record<string, number>>;
  /** Named arrays beside the update (e.g. SCAFFOLD's control-variate change), for stateful client work. */
  readonly outputs?: Readonly<Record<string, Float32Array[]>>;
}

/** Per-client outcome of a round, for progress events and failure reports. */
export interface ClientReport {
  /** Position of the client in the `clientData` array given to `next`. */
  readonly clientIndex: number;
  /** False when the client failed and was dropped from the round. */
  readonly ok: boolean;
  /** Examples consumed (for a failed client: before it failed). */
  readonly numExamples: number;
  readonly numBatches: number;
  /** The weight its update got in the aggregation (0 for a failed client). */
  readonly updateWeight: number;
  /** True when its update had a NaN or infinity and was replaced by zeros with weight 0. */
  readonly updateNonFinite: boolean;
  /** Wall-clock milliseconds spent on this client. */
  readonly ms: number;
  /** The error message of a failed client; it starts with `client <id>:`. */
  readonly error?: string;
  /** The client's id, when the round was given `clientIds`. */
  readonly clientId?: number | string;
  /** The client's own finalized metrics (e.g. its training loss); absent for a failed client. */
  readonly metrics?: FinalizedMetrics;
  /** Times the executor started this client (absent: 1); more after an infrastructure retry, see `ClientTaskOutcome`. */
  readonly attempts?: number;
}

/** Options of a round. */
export interface RoundOptions {
  /** Checked between batches: an aborted round rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called as each client finishes (failed ones included), in completion order: live progress. */
  readonly onClientFinished?: (report: ClientReport) => void;
  /** How people know each client of `clientData` (same order); used in reports' error messages. Default: positions. */
  readonly clientIds?: readonly (number | string)[];
  /** A client running longer than this many milliseconds fails and the round goes on without it. */
  readonly clientTimeoutMs?: number;
  /** The round number the clients' tasks carry (default: the state's completed rounds + 1). */
  readonly round?: number;
}

/** Broadcasts the global model weights to the clients (TFF's `DistributionProcess`). */
export interface Distributor<S = unknown> {
  /** The spec of the weights it broadcasts: `<trainable=<...>,non_trainable=<...>>`. */
  readonly weightsSpec: StructSpec;
  /** Spec of its state (`<>` when stateless), for type signatures. */
  readonly stateSpec: Spec;
  /** Spec of its measurements, for type signatures. */
  readonly measurementsSpec: Spec;
  initialize(): S;
  next(state: S, weights: ModelWeightArrays): Promise<MeasuredProcessOutput<S, ModelWeightArrays, Measurements>>;
}

/** Options of {@link ClientWork.next}: the round's options plus where to stream results. */
export interface ClientWorkOptions extends RoundOptions {
  /**
   * When given, each successful client's result is passed here in client-index
   * order as soon as it and every earlier client are done, and is not kept:
   * `clientResults` of the output is then empty (streaming aggregation). The
   * result's arrays are valid during the call only (the executor may reuse their
   * memory for a later client once it returns): copy what you keep.
   */
  readonly onResult?: (result: ClientResult & { readonly clientIndex: number }) => void;
  /** Named arrays for client `clientIndex`'s task (`ClientTask.inputs`), e.g. from a stateful client work's state. */
  readonly taskInputs?: (clientIndex: number) => Readonly<Record<string, readonly Float32Array[]>> | undefined;
}

/** What a {@link ClientWork} returns for a round. */
export interface ClientWorkOutput {
  /** Results of the clients that succeeded, in `clientData` order, with their client index (empty when streamed). */
  readonly clientResults: readonly (ClientResult & { readonly clientIndex: number })[];
  /** One report per client given, failed ones included, in `clientData` order. */
  readonly reports: readonly ClientReport[];
}

/** Per-round measurements of a {@link ClientWork}: finalized training metrics. */
export interface ClientWorkMeasurements extends Measurements {
  readonly train: FinalizedMetrics;
}

/** Local training on each client (TFF's `ClientWorkProcess`). */
export interface ClientWork<S = unknown> {
  /** The spec of the weights it receives: `<trainable=<...>,non_trainable=<...>>`. */
  readonly weightsSpec: StructSpec;
  /** The spec of one client's update: the trainable weights' struct. */
  readonly updateSpec: StructSpec;
  /** The spec of one batch of client data (the model's `inputSpec`). */
  readonly dataSpec: StructSpec;
  /** Spec of its state (`<>` when stateless). */
  readonly stateSpec: Spec;
  /** Names of the metrics reported under `train` (user metrics, loss, num_examples, num_batches). */
  readonly metricNames: readonly string[];
  /** True when its update weights must be honoured by a weighted aggregator. */
  readonly weighted: boolean;
  initialize(): S;
  next(
    state: S,
    weights: ModelWeightArrays,
    clientData: readonly ClientDataset[],
    options?: ClientWorkOptions,
  ): Promise<MeasuredProcessOutput<S, ClientWorkOutput, ClientWorkMeasurements>>;
}

/**
 * Combines client values into one (TFF's `AggregationProcess`). Must be
 * deterministic and independent of the order in which clients finished: it
 * receives values in client-index order.
 */
export interface Aggregator<S = unknown> {
  /** True when it uses the `weights` argument of `next`. */
  readonly weighted: boolean;
  /** The spec of one client value (and of the result). */
  readonly valueSpec: StructSpec;
  /** Spec of its state (`<>` when stateless). */
  readonly stateSpec: Spec;
  /** Spec of its measurements, e.g. `<mean_value=<>,mean_weight=<>>`, for type signatures. */
  readonly measurementsSpec: Spec;
  initialize(): S;
  next(
    state: S,
    clientValues: readonly (readonly Float32Array[])[],
    weights?: readonly number[],
  ): Promise<MeasuredProcessOutput<S, Float32Array[], Measurements>>;
}

/**
 * Receives client values one at a time, in client-index order, and holds only
 * running sums (O(1) updates in memory). Made by {@link StreamingAggregator.accumulate}.
 */
export interface AggregatorAccumulator<S = unknown> {
  /**
   * Adds one client's value; `weight` for weighted aggregators, `extra` is the client's side struct.
   * `value`'s arrays may be reused for another client once `add` returns: keep copies, never the arrays.
   */
  add(value: readonly Float32Array[], weight?: number, extra?: Readonly<Record<string, number>>): void;
  /** The aggregate of everything added, as `next` would have returned it. */
  finish(): Promise<MeasuredProcessOutput<S, Float32Array[], Measurements>>;
}

/**
 * An aggregator that can take client values as they arrive (mean, sum,
 * clipping, DP, quantization). Robust statistics that need every value at once
 * (median, trimmed mean, Krum) are plain {@link Aggregator}s and get all values
 * in one `next` call.
 */
export interface StreamingAggregator<S = unknown> extends Aggregator<S> {
  accumulate(state: S): AggregatorAccumulator<S>;
}

/** True when `aggregator` can aggregate values as they arrive. */
export function isStreamingAggregator<S>(aggregator: Aggregator<S>): aggregator is StreamingAggregator<S> {
  return typeof (aggregator as Partial<StreamingAggregator<S>>).accumulate === 'function';
}

/**
 * Makes an {@link Aggregator} for a value spec (TFF's `AggregationFactory`).
 * Robust, DP or secure aggregators wrap an inner factory.
 */
export interface AggregatorFactory<S = unknown> {
  readonly weighted: boolean;
  create(valueSpec: StructSpec): Aggregator<S>;
}

/** Applies the aggregate update to the global weights (TFF's `FinalizerProcess`). */
export interface Finalizer<S = unknown> {
  /** The spec of the global weights: `<trainable=<...>,non_trainable=<...>>`. */
  readonly weightsSpec: StructSpec;
  /** The spec of the update it applies: the trainable weights' struct. */
  readonly updateSpec: StructSpec;
  /** Spec of its state (e.g. the server optimizer's slots). */
  readonly stateSpec: Spec;
  /** Spec of its measurements, e.g. `<update_non_finite=int32>`, for type signatures. */
  readonly measurementsSpec: Spec;
  initialize(): S;
  next(state: S, weights: ModelWeightArrays, update: readonly Float32Array[]): Promise<MeasuredProcessOutput<S, ModelWeightArrays, Measurements>>;
}

/**
 * The state of a composed learning process. Every field is plain data
 * (numbers, records, Float32Arrays with shapes) so that it can be checkpointed
 * and restored for an exact resume.
 */
export interface LearningProcessState<D = unknown, C = unknown, A = unknown, F = unknown> {
  readonly globalModelWeights: ModelWeightArrays;
  readonly distributor: D;
  readonly clientWork: C;
  readonly aggregator: A;
  readonly finalizer: F;
  /** Number of completed rounds. */
  readonly round: number;
}

/** A round's metrics, in TFF's shape, plus the number of failed clients and of infrastructure retries. */
export interface RoundMetrics extends Measurements {
  readonly distributor: Measurements;
  readonly client_work: ClientWorkMeasurements;
  readonly aggregator: Measurements;
  readonly finalizer: Measurements;
  readonly failures: number;
  /** Client runs an executor started again after an infrastructure fault (a worker died); not failures. */
  readonly retries: number;
}

/** What `LearningProcess.next` returns (TFF's `LearningProcessOutput`, plus per-client reports). */
export interface LearningProcessOutput<S = LearningProcessState> {
  readonly state: S;
  readonly metrics: RoundMetrics;
  readonly clientReports: readonly ClientReport[];
}

/** A federated training process (TFF's `tff.learning.templates.LearningProcess`). */
export interface LearningProcess<S = LearningProcessState> {
  initialize(): S;
  next(state: S, clientData: readonly ClientDataset[], options?: RoundOptions): Promise<LearningProcessOutput<S>>;
  /** The global model weights held in a state. */
  getModelWeights(state: S): ModelWeightArrays;
  /** A copy of `state` whose global model weights are `weights` (same specs required). */
  setModelWeights(state: S, weights: ModelWeightArrays): S;
  readonly typeSignature: IterativeProcessSignature;
}
