import * as tf from '@tensorflow/tfjs';

import { StructSpec, TensorSpec, normalizeBatch, type Batch, type BatchOutput, type MetricFinalizers, type Model, type TensorStructure, type UnfinalizedMetrics } from '@fedkit/core';

/**
 * Test helper: y = x·kernel + bias with an MSE loss (mean over the batch),
 * written against core's Model contract only. Metrics: loss as [Σ loss·n, Σ n],
 * num_examples [n], num_batches [b]; optionally a non-trainable variable to
 * check that it is not averaged.
 */
export class LinearModel implements Model {
  readonly trainableVariables: tf.Variable[];
  readonly nonTrainableVariables: tf.Variable[];
  readonly localVariables: tf.Variable[];
  readonly inputSpec: StructSpec;
  private readonly lossSum = tf.variable(tf.zeros([2]), false);
  private readonly numExamples = tf.variable(tf.scalar(0), false);
  private readonly numBatches = tf.variable(tf.scalar(0), false);

  constructor(kernel: number[] = [0, 0], bias = 0, nonTrainable?: number) {
    const features = kernel.length;
    this.trainableVariables = [tf.variable(tf.tensor2d(kernel, [features, 1])), tf.variable(tf.tensor1d([bias]))];
    this.nonTrainableVariables = nonTrainable === undefined ? [] : [tf.variable(tf.tensor1d([nonTrainable]), false)];
    this.localVariables = [this.lossSum, this.numExamples, this.numBatches];
    this.inputSpec = new StructSpec({ x: new TensorSpec([null, features]), y: new TensorSpec([null, 1]) });
  }

  forwardPass(batch: Batch, training = true): BatchOutput {
    const { x, y } = normalizeBatch(batch);
    const n = (x as tf.Tensor).shape[0]!;
    const out = tf.tidy(() => {
      const predictions = this.predictOnBatch(x, training);
      const loss = tf.mean(tf.square(tf.sub(predictions, y as tf.Tensor))) as tf.Scalar;
      this.lossSum.assign(tf.add(this.lossSum, tf.stack([tf.mul(loss, n), tf.scalar(n)])));
      this.numExamples.assign(tf.add(this.numExamples, n));
      this.numBatches.assign(tf.add(this.numBatches, 1));
      return { loss, predictions };
    });
    return { ...out, numExamples: n };
  }

  predictOnBatch(x: TensorStructure, _training = false): tf.Tensor {
    return tf.tidy(() => tf.add(tf.matMul(x as tf.Tensor2D, this.trainableVariables[0]!), this.trainableVariables[1]!));
  }

  reportLocalUnfinalizedMetrics(): UnfinalizedMetrics {
    return {
      loss: Array.from(this.lossSum.dataSync()),
      num_examples: [this.numExamples.dataSync()[0]!],
      num_batches: [this.numBatches.dataSync()[0]!],
    };
  }

  metricFinalizers(): MetricFinalizers {
    return {
      loss: ([sum, count]) => (count! > 0 ? sum! / count! : 0),
      num_examples: ([n]) => n!,
      num_batches: ([b]) => b!,
    };
  }

  resetMetrics(): void {
    tf.tidy(() => {
      for (const v of this.localVariables) v.assign(tf.zerosLike(v));
    });
  }

  /** Disposes every variable (tests call it to check tensor counts). */
  dispose(): void {
    for (const v of [...this.trainableVariables, ...this.nonTrainableVariables, ...this.localVariables]) v.dispose();
  }
}

/** One batch `{ x, y }` from plain rows. */
export function batchOf(x: number[][], y: number[][]): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return { x: tf.tensor2d(x), y: tf.tensor2d(y) };
}

/** A re-iterable client dataset that makes fresh tensors each pass (the consumer disposes them). */
export function datasetOf(batches: readonly { x: number[][]; y: number[][] }[]): Iterable<{ x: tf.Tensor2D; y: tf.Tensor2D }> {
  return {
    *[Symbol.iterator]() {
      for (const b of batches) yield batchOf(b.x, b.y);
    },
  };
}
