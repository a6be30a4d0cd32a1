import type * as tf from '@tensorflow/tfjs';

import type { Batch, TensorStructure } from './batch.js';
import type { StructSpec } from './struct-spec.js';
import type { MetricFinalizers, UnfinalizedMetrics } from './unfinalized-metrics.js';

/** What one forward pass over a batch produced (TFF's `BatchOutput`). */
export interface BatchOutput {
  /** Total loss of the batch: weighted data losses plus regularization. */
  readonly loss: tf.Scalar;
  /** The model's outputs, one tensor per model output. */
  readonly predictions: tf.Tensor | tf.Tensor[];
  /** Number of examples in the batch (batch size of the first input). */
  readonly numExamples: number;
  /**
   * The data loss alone (without regularization), which the `loss` metric
   * tracks; set by {@link Model.forwardPass} with `updateMetrics: false` so that
   * {@link Model.updateMetrics} can record it later. May be the same tensor as `loss`.
   */
  readonly dataLoss?: tf.Scalar;
}

/** Options of {@link Model.forwardPass}. */
export interface ForwardPassOptions {
  /**
   * When false, the metrics are left alone and the caller hands the output to
   * {@link Model.updateMetrics} after the gradient step, so that the metric
   * updates are not recorded on the gradient tape. Default true. Only models
   * that have `updateMetrics` honour it.
   */
  readonly updateMetrics?: boolean;
  /** The caller already checked the batch against `inputSpec` (as `forEachBatch` does), so it is not checked again. */
  readonly inputChecked?: boolean;
}

/**
 * A model federated algorithms can train (TFF's `tff.learning.models.VariableModel`).
 *
 * `forwardPass` is synchronous because it runs inside gradient tapes
 * (`tf.variableGrads`); it never changes trainable variables, only the local
 * (metric) variables.
 */
export interface Model {
  /** Variables the optimizer updates, in Keras order. */
  readonly trainableVariables: tf.Variable[];
  /** Model state that is not trained by gradients (e.g. BatchNorm statistics). */
  readonly nonTrainableVariables: tf.Variable[];
  /** Metric state: user metrics' variables, then loss, num_examples, num_batches. */
  readonly localVariables: tf.Variable[];
  /** The spec of one batch: `<x=...,y=...>`. */
  readonly inputSpec: StructSpec;
  /** Runs the model on a batch, updates the metrics (unless `options.updateMetrics` is false) and returns loss and predictions. */
  forwardPass(batch: Batch, training?: boolean, options?: ForwardPassOptions): BatchOutput;
  /**
   * Optional: updates the metrics from what `forwardPass(batch, training,
   * { updateMetrics: false })` returned (its predictions and `dataLoss`), outside
   * any gradient tape. The caller keeps ownership of `output`'s tensors.
   */
  updateMetrics?(batch: Batch, output: BatchOutput): void;
  /**
   * Optional: one plain SGD step (`w ← w − learningRate · ∇loss` over every
   * trainable variable) taken in a fused kernel, returning what
   * `forwardPass(batch, true, { updateMetrics: false })` would and leaving the
   * metrics to {@link Model.updateMetrics}. Returns undefined, having done
   * nothing, where the model, the batch or the active backend do not allow it;
   * the caller then runs the step through the gradient tape. A model that
   * implements it must compute the weights the tape would.
   */
  sgdStep?(batch: Batch, learningRate: number): BatchOutput | undefined;
  /** Applies the model to features only. */
  predictOnBatch(x: TensorStructure, training?: boolean): tf.Tensor | tf.Tensor[];
  /** Each metric's state, flattened to numbers, keyed by metric name. */
  reportLocalUnfinalizedMetrics(): UnfinalizedMetrics;
  /** Per metric, the function that turns a summed state into its value. */
  metricFinalizers(): MetricFinalizers;
  /** Zeroes every local variable. */
  resetMetrics(): void;
}
