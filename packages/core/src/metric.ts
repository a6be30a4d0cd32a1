import type * as tf from '@tensorflow/tfjs';

/** A tensor's values in host memory (row-major) with its shape: what {@link Metric.batchDelta} reads. */
export interface HostValues {
  readonly values: Float32Array | Int32Array;
  readonly shape: readonly number[];
}

/**
 * A stateful, federated-aggregatable metric: the counterpart of
 * `tf.keras.metrics.Metric` plus TFF's unfinalized-state protocol.
 *
 * Federated contract: summing `unfinalizedState()` element-wise over clients and
 * calling `finalize` on the sum equals the metric computed on the union of the
 * clients' data (TFF's `sum_then_finalize`).
 */
export interface Metric {
  /** Keras snake_case name, e.g. `sparse_categorical_accuracy`. */
  readonly name: string;
  /** State variables, in the order `unfinalizedState()` flattens them. */
  readonly variables: tf.Variable[];
  /** Accumulates one batch into the state variables. Must not leak tensors. */
  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void;
  /**
   * Optional fast path for values already in host memory: what `updateState(yTrue, yPred, sampleWeight)`
   * adds to the state for one batch, one number per element of `unfinalizedState()`, each the float32
   * value `updateState` adds (so that the caller, adding them in float32, keeps the state to the bit);
   * `undefined` when this batch needs `updateState` (a shape or dtype the fast path does not handle).
   * Reads nothing from the state and changes nothing. A model calls it instead of `updateState` where
   * its outputs are on the host anyway, and writes the summed state back before anyone reads it.
   */
  batchDelta?(yTrue: HostValues, yPred: HostValues, sampleWeight?: HostValues): number[] | undefined;
  /** The metric value of the state accumulated so far. */
  result(): number;
  /** Zeroes the state variables. */
  resetState(): void;
  /** The state variables flattened to numbers, in order. */
  unfinalizedState(): number[];
  /** Computes the metric value from a (possibly summed) unfinalized state. */
  finalize(state: number[]): number;
  /** Constructor arguments, enough to rebuild an equal metric with `fromConfig`. */
  getConfig(): Record<string, unknown>;
}
