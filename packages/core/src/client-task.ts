import type * as tf from '@tensorflow/tfjs';

import type { ClientDataset } from './learning-blocks.js';
import type { ModelWeightArrays } from './model-weights.js';
import type { UnfinalizedMetrics } from './unfinalized-metrics.js';

/** The optimizers a client task can name (Keras's string identifiers). */
export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'adamax' | 'rmsprop' | 'adagrad' | 'adadelta';

/**
 * A client optimizer as plain data, Keras-style (`optimizer='adam'` plus
 * options), so that it can travel to a worker thread or another machine.
 * Option names follow Keras (`learningRate`, `momentum`, `beta1`, `beta2`,
 * `epsilon`, `rho`, `nesterov`, `initialAccumulatorValue`); unknown ones are refused.
 *
 * @example
 * ```ts
 * const adam: OptimizerConfig = { name: 'adam', learningRate: 0.001 };
 * ```
 */
export interface OptimizerConfig {
  readonly name: OptimizerName;
  readonly learningRate: number;
  readonly momentum?: number;
  readonly nesterov?: boolean;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  readonly rho?: number;
  readonly initialAccumulatorValue?: number;
}

/**
 * A client optimizer: a plain {@link OptimizerConfig} (crosses to any
 * executor) or a factory of a new tfjs optimizer (TFF's `client_optimizer_fn`;
 * in-process executors only, since a function cannot be serialized).
 */
export type ClientOptimizerSpec = OptimizerConfig | (() => tf.Optimizer);

/**
 * Which client-update block a client runs, by its registered name, with its
 * plain options (e.g. `{ name: 'proximal_training', config: { proximalStrength: 0.01 } }`).
 */
export interface ClientUpdateSpec {
  readonly name: string;
  readonly config?: Readonly<Record<string, number | string | boolean>>;
}

/**
 * A reference to a client's data that an executor can send instead of the
 * data itself; the environment that runs the client resolves it (e.g. row
 * indices into training data the worker already holds). `kind` says which
 * resolver understands it.
 */
export interface ClientDataRef {
  readonly kind: string;
  readonly [key: string]: unknown;
}

/** True when `value` is a {@link ClientDataRef} rather than a dataset. */
export function isClientDataRef(value: unknown): value is ClientDataRef {
  return value !== null && typeof value === 'object' && typeof (value as { kind?: unknown }).kind === 'string' && !(Symbol.iterator in value) && !(Symbol.asyncIterator in value) && typeof (value as { iterator?: unknown }).iterator !== 'function';
}

/** A dataset that can describe itself as a {@link ClientDataRef} (so an executor may ship the reference). */
export interface ReferencedDataset {
  toDataRef(): ClientDataRef;
}

/** True when `value` can be replaced by a data reference for transport. */
export function hasDataRef(value: unknown): value is ReferencedDataset {
  return value !== null && typeof value === 'object' && typeof (value as { toDataRef?: unknown }).toDataRef === 'function';
}

/**
 * One client's job for a round: plain, serializable data (except where the
 * caller chose a function optimizer or an in-memory dataset, which only
 * in-process executors accept).
 */
export interface ClientTask {
  /** Position of the client in the round's `clientData`. */
  readonly clientIndex: number;
  /** How people know the client (its id in the population); used in messages. Default: `clientIndex`. */
  readonly clientId?: number | string;
  /** The round this task belongs to (1-based); executors drop results of stale rounds. */
  readonly round: number;
  /** The broadcast weights. */
  readonly weights: ModelWeightArrays;
  /** The client-update block to run and its options. */
  readonly update: ClientUpdateSpec;
  /** The client optimizer; required by blocks that take local steps. */
  readonly optimizer?: ClientOptimizerSpec;
  /** The client's data, or a reference to it. */
  readonly data: ClientDataset | ClientDataRef;
  /** Named arrays the client-update block reads besides the weights (e.g. SCAFFOLD's control variates). */
  readonly inputs?: Readonly<Record<string, readonly Float32Array[]>>;
}

/** What one client produced (TFF's `ClientOutput`). */
export interface ClientUpdateResult {
  /** One array per trainable weight (e.g. `initial − trained`). */
  readonly update: Float32Array[];
  /** The aggregation weight: number of examples, or 0 when the update was non-finite (then `update` is zeros). */
  readonly updateWeight: number;
  readonly updateNonFinite: boolean;
  readonly numExamples: number;
  readonly numBatches: number;
  /** The model's unfinalized metrics after the pass. */
  readonly metrics: UnfinalizedMetrics;
  /** A small struct beside the update (e.g. `local_steps`), for algorithms such as FedNova. */
  readonly extra?: Readonly<Record<string, number>>;
  /** Named arrays beside the update (e.g. SCAFFOLD's control-variate change), for stateful client work. */
  readonly outputs?: Readonly<Record<string, Float32Array[]>>;
}

/**
 * The outcome of a {@link ClientTask}: a result, or a failure as data.
 * `attempts` (default 1) counts the times an executor started the client: more
 * than 1 after an infrastructure retry (a worker machine died mid-client and
 * another ran it again), which is not a client failure.
 *
 * `recycle`, when an executor sets it, lends the result's arrays (`update` and
 * `outputs`): the consumer calls it once it no longer reads them, and the
 * executor may then write a later client's result into the same memory (the
 * worker-thread executor does, sparing the main thread an allocation per client).
 * A consumer that keeps the arrays never calls it; that only costs the executor
 * a fresh allocation. It is never part of what crosses a thread or the network.
 */
export type ClientTaskOutcome =
  | {
      readonly clientIndex: number;
      readonly ok: true;
      readonly result: ClientUpdateResult;
      readonly ms: number;
      readonly attempts?: number;
      /** Hands the result's arrays back to the executor that lent them (see above); call once, after the last read. */
      readonly recycle?: () => void;
    }
  | {
      readonly clientIndex: number;
      readonly ok: false;
      readonly error: string;
      readonly numExamples: number;
      readonly numBatches: number;
      readonly ms: number;
      readonly attempts?: number;
    };

/** Options of {@link ClientExecutor.runClients}. */
export interface RunClientsOptions {
  /** Aborting makes `runClients` reject with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called as each client finishes, in completion order (stream results from here). */
  readonly onOutcome?: (outcome: ClientTaskOutcome) => void;
  /** A client still running after this many milliseconds fails (its outcome says so) and the round goes on. */
  readonly clientTimeoutMs?: number;
}

/**
 * Runs a round's client tasks: in this thread, on worker threads, on other
 * machines. Every executor runs the same client code path (`runClientTask` in
 * @fedkit/learning). Each finished client is passed to `onOutcome` as it
 * arrives; the returned array holds the outcomes that were not streamed
 * (executors return `[]` when `onOutcome` is given, so updates are not held).
 * A failing client is an outcome `{ ok: false }`, never a rejection.
 */
export interface ClientExecutor {
  /** The registry name of the executor (`in-process`, `worker-threads`, ...). */
  readonly name: string;
  /** True when tasks may carry functions and in-memory datasets (same thread). */
  readonly acceptsLocalValues: boolean;
  runClients(tasks: readonly ClientTask[], options?: RunClientsOptions): Promise<ClientTaskOutcome[]>;
}

