import * as tf from '@tensorflow/tfjs';
import {
  checkCompatible,
  flattenTensors,
  normalizeBatch,
  ValueError,
  type Batch,
  type BatchOutput,
  type Loss,
  type Metric,
  type MetricFinalizers,
  type Model,
  type StructSpec,
  type TensorStructure,
  type UnfinalizedMetrics,
} from '@fedkit/core';
import { Mean, NumBatchesCounter, NumExamplesCounter } from '@fedkit/metrics';

import { inputNamesOf, outputNamesOf } from './model-io-names.js';

/**
 * A tfjs-layers model seen through fedkit's `Model` contract (TFF's
 * `keras_utils._KerasModel`). Made by {@link fromKerasModel}.
 */
export class KerasModelWrapper implements Model {
  readonly trainableVariables: tf.Variable[];
  readonly nonTrainableVariables: tf.Variable[];
  private readonly metrics: Metric[];
  private readonly lossMetric: Mean;
  private readonly inputNames: string[];
  private readonly outputNames: string[];

  constructor(
    /** The wrapped model; its variables are the ones trained. */
    readonly kerasModel: tf.LayersModel,
    readonly inputSpec: StructSpec,
    private readonly losses: readonly Loss[],
    private readonly lossWeights: readonly number[],
    userMetrics: readonly Metric[],
  ) {
    this.trainableVariables = kerasModel.trainableWeights.map((w) => w.read() as tf.Variable);
    this.nonTrainableVariables = kerasModel.nonTrainableWeights.map((w) => w.read() as tf.Variable);
    this.inputNames = inputNamesOf(kerasModel);
    this.outputNames = outputNamesOf(kerasModel);
    this.lossMetric = new Mean({ name: 'loss' });
    const names = new Set(userMetrics.map((m) => m.name));
    this.metrics = [
      ...userMetrics,
      this.lossMetric,
      // A user metric of the same name replaces the built-in counter.
      ...(names.has('num_examples') ? [] : [new NumExamplesCounter()]),
      ...(names.has('num_batches') ? [] : [new NumBatchesCounter()]),
    ];
    const duplicate = this.metrics.map((m) => m.name).find((n, i, all) => all.indexOf(n) !== i);
    if (duplicate !== undefined) {
      throw new ValueError(`Two metrics are named "${duplicate}"; give each metric a unique name (the name "loss" is reserved).`);
    }
  }

  /** User metrics' variables, then loss (total, count), num_examples, num_batches. */
  get localVariables(): tf.Variable[] {
    return this.metrics.flatMap((m) => m.variables);
  }

  forwardPass(batch: Batch, training = true): BatchOutput {
    const { x, y } = normalizeBatch(batch);
    if (y === undefined) throw new ValueError('forwardPass needs labels: the batch has no "y". Use predictOnBatch for features alone.');
    checkCompatible(this.inputSpec, { x, y }, '');
    const numExamples = flattenTensors(x)[0]?.shape[0] ?? 0;
    const outputs = tf.tidy(() => {
      const predictions = this.kerasModel.apply(this.modelInputs(x), { training }) as tf.Tensor | tf.Tensor[];
      const preds = Array.isArray(predictions) ? predictions : [predictions];
      const labels = this.labelsPerOutput(y, preds.length);
      let dataLoss = tf.scalar(0);
      preds.forEach((p, i) => {
        dataLoss = tf.add(dataLoss, tf.mul(this.lossWeights[i]!, this.losses[i]!.call(labels[i]!, p)));
      });
      const regularization = this.kerasModel.calculateLosses();
      const loss = regularization.length > 0 ? tf.add(dataLoss, tf.addN(regularization)) : dataLoss;
      // Porting note: with several outputs, user metrics see the first output and its labels.
      for (const m of this.metrics) {
        if (m === this.lossMetric) m.updateState(dataLoss, dataLoss, tf.scalar(numExamples));
        else m.updateState(labels[0]!, preds[0]!);
      }
      return { loss: loss as tf.Scalar, predictions };
    });
    return { loss: outputs.loss, predictions: outputs.predictions, numExamples };
  }

  predictOnBatch(x: TensorStructure, training = false): tf.Tensor | tf.Tensor[] {
    checkCompatible(this.inputSpec.get('x')!, x, 'x');
    return tf.tidy(() => this.kerasModel.apply(this.modelInputs(x), { training }) as tf.Tensor | tf.Tensor[]);
  }

  reportLocalUnfinalizedMetrics(): UnfinalizedMetrics {
    const out: UnfinalizedMetrics = {};
    for (const m of this.metrics) out[m.name] = m.unfinalizedState();
    return out;
  }

  metricFinalizers(): MetricFinalizers {
    const out: MetricFinalizers = {};
    for (const m of this.metrics) out[m.name] = (state: number[]) => m.finalize(state);
    return out;
  }

  resetMetrics(): void {
    for (const m of this.metrics) m.resetState();
  }

  /** Features in the form `apply` takes: a record is ordered by the model's input names. */
  private modelInputs(x: TensorStructure): tf.Tensor | tf.Tensor[] {
    if (x instanceof tf.Tensor) return x;
    if (Array.isArray(x)) return x as tf.Tensor[];
    const record = x as Record<string, tf.Tensor>;
    return this.inputNames.map((name) => record[name]!);
  }

  /** Labels per output, in `outputNames` order. */
  private labelsPerOutput(y: TensorStructure, outputs: number): tf.Tensor[] {
    if (y instanceof tf.Tensor) return outputs === 1 ? [y] : Array.from({ length: outputs }, () => y);
    if (Array.isArray(y)) return y as tf.Tensor[];
    const record = y as Record<string, tf.Tensor>;
    return this.outputNames.map((name) => record[name]!);
  }
}
