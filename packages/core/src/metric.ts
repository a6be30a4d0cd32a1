import type * as tf from '@tensorflow/tfjs';

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
