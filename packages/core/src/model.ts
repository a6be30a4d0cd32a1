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
  /** Runs the model on a batch, updates the metrics and returns loss and predictions. */
  forwardPass(batch: Batch, training?: boolean): BatchOutput;
  /** Applies the model to features only. */
  predictOnBatch(x: TensorStructure, training?: boolean): tf.Tensor | tf.Tensor[];
  /** Each metric's state, flattened to numbers, keyed by metric name. */
  reportLocalUnfinalizedMetrics(): UnfinalizedMetrics;
  /** Per metric, the function that turns a summed state into its value. */
  metricFinalizers(): MetricFinalizers;
  /** Zeroes every local variable. */
  resetMetrics(): void;
}
