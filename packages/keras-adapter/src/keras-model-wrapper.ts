import * as tf from '@tensorflow/tfjs';
import {
  checkCompatible,
  checkLabelRange,
  DENSE_SGD_STEP_KERNEL,
  flattenTensors,
  normalizeBatch,
  ValueError,
  type Batch,
  type BatchOutput,
  type ForwardPassOptions,
  type Loss,
  type Metric,
  type MetricFinalizers,
  type Model,
  type StructSpec,
  type TensorStructure,
  type UnfinalizedMetrics,
} from '@fedkit/core';
import { Mean, NumBatchesCounter, NumExamplesCounter } from '@fedkit/metrics';

import { denseStackOf, type DenseStack } from './dense-stack.js';
import { HostMetricSums } from './host-metric-sums.js';
import { inputNamesOf, outputNamesOf } from './model-io-names.js';

/** A layer with a Keras activation (Dense, Conv2D, Activation, ...), as tfjs-layers keeps it. */
interface ActivationHolder {
  activation: { getClassName(): string; apply(x: tf.Tensor): tf.Tensor } | undefined;
}

/** The identity activation: its class name makes Dense fuse the bias into its matmul. */
const LINEAR: NonNullable<ActivationHolder['activation']> = { getClassName: () => 'linear', apply: (x) => x };

/**
 * The output layer and the logits form of the loss, when a single-output model
 * ends in a softmax activation and its loss has a logits form
 * (`Loss.fromSoftmaxLogits`); else undefined.
 */
function softmaxOutputOf(model: tf.LayersModel, losses: readonly Loss[]): { layer: ActivationHolder; loss: Loss } | undefined {
  if (model.outputs.length !== 1 || losses.length !== 1) return undefined;
  const layer = model.outputs[0]!.sourceLayer as unknown as Partial<ActivationHolder>;
  if (layer.activation?.getClassName() !== 'softmax') return undefined;
  const loss = losses[0]!.fromSoftmaxLogits?.();
  return loss === undefined ? undefined : { layer: layer as ActivationHolder, loss };
}

/**
 * A tfjs-layers model seen through fedkit's `Model` contract (TFF's
 * `keras_utils._KerasModel`). Made by {@link fromKerasModel}.
 */
export class KerasModelWrapper implements Model {
  readonly trainableVariables: tf.Variable[];
  readonly nonTrainableVariables: tf.Variable[];
  private readonly metrics: Metric[];
  private readonly lossMetric: Mean;
  /** Metric states summed on the host after {@link KerasModelWrapper.sgdStep}s, written back before any read. */
  private readonly hostSums = new HostMetricSums();
  /** The outputs `sgdStep` returned: their values are on the host, so their metrics are summed there. */
  private readonly hostOutputs = new WeakSet<BatchOutput>();
  private readonly inputNames: string[];
  private readonly outputNames: string[];
  /** Set when the loss is computed from the logits of the model's softmax output layer. */
  private readonly softmaxOutput: { readonly layer: ActivationHolder; readonly loss: Loss } | undefined;
  /** Set when a plain SGD step can run as one fused kernel (see {@link KerasModelWrapper.sgdStep}). */
  private readonly denseStack: DenseStack | undefined;

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
    this.softmaxOutput = softmaxOutputOf(kerasModel, losses);
    this.denseStack = denseStackOf(kerasModel, this.softmaxOutput?.loss, lossWeights[0] ?? 1, this.trainableVariables);
    const duplicate = this.metrics.map((m) => m.name).find((n, i, all) => all.indexOf(n) !== i);
    if (duplicate !== undefined) {
      throw new ValueError(`Two metrics are named "${duplicate}"; give each metric a unique name (the name "loss" is reserved).`);
    }
  }

  /** User metrics' variables, then loss (total, count), num_examples, num_batches. */
  get localVariables(): tf.Variable[] {
    this.hostSums.flush();
    return this.metrics.flatMap((m) => m.variables);
  }

  forwardPass(batch: Batch, training = true, options: ForwardPassOptions = {}): BatchOutput {
    const { x, y } = normalizeBatch(batch);
    if (y === undefined) throw new ValueError('forwardPass needs labels: the batch has no "y". Use predictOnBatch for features alone.');
    if (options.inputChecked !== true) checkCompatible(this.inputSpec, { x, y }, '');
    const numExamples = flattenTensors(x)[0]?.shape[0] ?? 0;
    const deferMetrics = options.updateMetrics === false;
    const outputs = tf.tidy(() => {
      const { predictions, dataLoss } = this.predictionsAndLoss(x, y, training);
      const regularization = this.kerasModel.calculateLosses();
      const loss = (regularization.length > 0 ? tf.add(dataLoss, tf.addN(regularization)) : dataLoss) as tf.Scalar;
      if (!deferMetrics) this.recordMetrics(y, predictions, dataLoss, numExamples);
      return { loss, predictions, dataLoss };
    });
    return { loss: outputs.loss, predictions: outputs.predictions, numExamples, ...(deferMetrics ? { dataLoss: outputs.dataLoss } : {}) };
  }

  /**
   * Updates the metrics from a `forwardPass(batch, training, { updateMetrics: false })` or
   * {@link KerasModelWrapper.sgdStep} output, outside the gradient tape. After `sgdStep` the metrics that
   * have a `batchDelta` are summed from the values on the host (see `HostMetricSums`), the others run
   * `updateState`; either way the states are the same to the bit.
   */
  updateMetrics(batch: Batch, output: BatchOutput): void {
    const { y } = normalizeBatch(batch);
    if (y === undefined) throw new ValueError('updateMetrics needs labels: the batch has no "y".');
    if (this.hostOutputs.has(output) && this.recordOnHost(y, output)) return;
    tf.tidy(() => this.recordMetrics(y, output.predictions, output.dataLoss ?? output.loss, output.numExamples));
  }

  /**
   * One plain SGD step over `batch` as the single kernel `DENSE_SGD_STEP_KERNEL`
   * (forward, backward and update of every weight), where the model is a Dense
   * stack with a softmax output and sparse categorical crossentropy (see
   * `denseStackOf`), the batch is float32 features with int32 labels, and the
   * active backend registers the kernel (fedkit's wasm runtime does). Returns
   * what `forwardPass(batch, true, { updateMetrics: false })` returns, with
   * the same values; the metrics are left for {@link KerasModelWrapper.updateMetrics}. Returns
   * undefined, having done nothing, anywhere else: the caller then takes the
   * step through the gradient tape, which computes the same weights.
   *
   * @throws LabelRangeError for a label outside `[0, classes)`, as the loss does.
   * @example
   * ```ts
   * const out = model.sgdStep(batch, 0.1); // undefined: take the step with optimizer.minimize instead
   * if (out !== undefined) model.updateMetrics(batch, out);
   * ```
   */
  sgdStep(batch: Batch, learningRate: number): BatchOutput | undefined {
    const stack = this.denseStack;
    if (stack === undefined || tf.getKernel(DENSE_SGD_STEP_KERNEL, tf.getBackend()) === undefined) return undefined;
    const { x, y } = normalizeBatch(batch);
    if (y === undefined) return undefined;
    const features = this.modelInputs(x);
    const labels = this.labelsPerOutput(y, 1)[0];
    if (!(features instanceof tf.Tensor) || features.dtype !== 'float32' || features.rank < 2 || features.shape[0] === 0) return undefined;
    const numExamples = features.shape[0]!;
    if (labels === undefined || labels.dtype !== 'int32' || labels.shape[0] !== numExamples || labels.size !== numExamples || labels.rank > 2) return undefined;
    checkLabelRange(labels, stack.classes, 'sparse_categorical_crossentropy');
    const inputs: Record<string, tf.Tensor> = { x: features, y: labels };
    stack.weights.forEach((w, i) => (inputs[`w${i}`] = w));
    const [predictions, loss, ...next] = tf.engine().runKernel(DENSE_SGD_STEP_KERNEL, inputs, { ...stack.attrs, learningRate } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    stack.weights.forEach((w, i) => w.assign(next[i]!));
    tf.dispose(next);
    const output = { loss: loss as tf.Scalar, dataLoss: loss as tf.Scalar, predictions: predictions!, numExamples };
    this.hostOutputs.add(output);
    return output;
  }

  /**
   * {@link KerasModelWrapper.updateMetrics} for an `sgdStep` output, whose labels, predictions and loss
   * are read from the host (no kernel): each metric with a `batchDelta` for them adds it to its host sums,
   * any other runs `updateState` on the tensors (after its own sums are written back). False, having
   * changed nothing, when the values are not those of one output with int32 labels.
   */
  private recordOnHost(y: TensorStructure, output: BatchOutput): boolean {
    const predictions = output.predictions;
    const labels = this.labelsPerOutput(y, 1)[0];
    if (Array.isArray(predictions) || labels === undefined || labels.dtype !== 'int32' || predictions.dtype !== 'float32') return false;
    const loss = output.dataLoss ?? output.loss;
    const yTrue = { values: labels.dataSync() as Int32Array, shape: labels.shape };
    const yPred = { values: predictions.dataSync() as Float32Array, shape: predictions.shape };
    const lossValue = { values: loss.dataSync() as Float32Array, shape: [] };
    const examples = { values: Float32Array.of(output.numExamples), shape: [] };
    for (const m of this.metrics) {
      const summed = m === this.lossMetric ? this.hostSums.add(m, lossValue, lossValue, examples) : this.hostSums.add(m, yTrue, yPred);
      if (summed) continue;
      this.hostSums.flush(m);
      tf.tidy(() => this.updateMetric(m, labels, predictions, loss, output.numExamples));
    }
    return true;
  }

  /** The model's outputs and the weighted sum of the data losses (no regularization). Call inside `tf.tidy`. */
  private predictionsAndLoss(x: TensorStructure, y: TensorStructure, training: boolean): { predictions: tf.Tensor | tf.Tensor[]; dataLoss: tf.Scalar } {
    if (this.softmaxOutput !== undefined) {
      const { layer, loss } = this.softmaxOutput;
      const softmax = layer.activation;
      let logits: tf.Tensor;
      // The output layer runs without its softmax for one call, so the loss sees the logits (Keras's
      // `_keras_logits`); synchronous, so nothing else can observe the swapped activation.
      layer.activation = LINEAR;
      try {
        logits = this.kerasModel.apply(this.modelInputs(x), { training }) as tf.Tensor;
      } finally {
        layer.activation = softmax;
      }
      const dataLoss = this.weighted(0, loss.call(this.labelsPerOutput(y, 1)[0]!, logits));
      return { predictions: tf.softmax(logits), dataLoss };
    }
    const predictions = this.kerasModel.apply(this.modelInputs(x), { training }) as tf.Tensor | tf.Tensor[];
    const preds = Array.isArray(predictions) ? predictions : [predictions];
    const labels = this.labelsPerOutput(y, preds.length);
    const terms = preds.map((p, i) => this.weighted(i, this.losses[i]!.call(labels[i]!, p)));
    return { predictions, dataLoss: (terms.length === 1 ? terms[0]! : tf.addN(terms)) as tf.Scalar };
  }

  /** Output `i`'s loss times its loss weight (no multiplication for a weight of 1, which changes nothing). */
  private weighted(i: number, loss: tf.Scalar): tf.Scalar {
    const w = this.lossWeights[i]!;
    return w === 1 ? loss : tf.mul(w, loss);
  }

  /** Call inside `tf.tidy`. */
  private recordMetrics(y: TensorStructure, predictions: tf.Tensor | tf.Tensor[], dataLoss: tf.Scalar, numExamples: number): void {
    this.hostSums.flush();
    const preds = Array.isArray(predictions) ? predictions : [predictions];
    const labels = this.labelsPerOutput(y, preds.length);
    // Porting note: with several outputs, user metrics see the first output and its labels.
    for (const m of this.metrics) this.updateMetric(m, labels[0]!, preds[0]!, dataLoss, numExamples);
  }

  /** One metric's `updateState` for a batch; the loss tracker takes the data loss weighted by the batch size. Call inside `tf.tidy`. */
  private updateMetric(m: Metric, labels: tf.Tensor, predictions: tf.Tensor, dataLoss: tf.Scalar, numExamples: number): void {
    if (m === this.lossMetric) m.updateState(dataLoss, dataLoss, tf.scalar(numExamples));
    else m.updateState(labels, predictions);
  }

  predictOnBatch(x: TensorStructure, training = false): tf.Tensor | tf.Tensor[] {
    checkCompatible(this.inputSpec.get('x')!, x, 'x');
    return tf.tidy(() => this.kerasModel.apply(this.modelInputs(x), { training }) as tf.Tensor | tf.Tensor[]);
  }

  reportLocalUnfinalizedMetrics(): UnfinalizedMetrics {
    this.hostSums.flush();
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
    this.hostSums.clear();
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
