import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, describe, emitWarning, KeyError, StructSpec, TensorSpec, ValueError, type Batch, type Model } from '@fedkit/core';
import { registerLosses } from '@fedkit/losses';
import { registerMetrics } from '@fedkit/metrics';
import type { DependencyContainer } from 'tsyringe';

import { KerasModelWrapper } from './keras-model-wrapper.js';
import { inputNamesOf, outputNamesOf } from './model-io-names.js';
import { resolveLossStructure, type LossOption } from './loss-structure.js';
import { resolveMetricList, type MetricsOption } from './metric-list.js';
import { normalizeInputSpec, specFromDummyBatch, type InputSpecLike } from './normalize-input-spec.js';

/** Options of {@link fromKerasModel}, named as in `tff.learning.models.from_keras_model`. */
export interface FromKerasModelOptions {
  /**
   * One loss, one per output, or a record keyed by `model.outputNames`. Names resolve through `container`:
   * Keras's (`'categorical_crossentropy'`, `'mse'`) and tfjs-layers' camelCase (`'categoricalCrossentropy'`).
   */
  loss: LossOption;
  /** The spec of one batch: `{ x, y }`, `[x, y]` or a StructSpec; `null` dimensions are unknown. */
  inputSpec?: InputSpecLike;
  /** One weight per loss (array) or per output name (record); default 1 each. */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
  /**
   * Metric names as `model.compile` takes them (`'accuracy'`, `'acc'`, `'mse'`, `'sparse_categorical_accuracy'`,
   * `'binaryAccuracy'`), metric instances, or no-argument factories returning one (instances and factories not
   * mixed). Metrics see the first output. `'accuracy'` becomes binary, sparse categorical or categorical
   * accuracy from the label and output shapes, as in Keras 3.
   */
  metrics?: MetricsOption;
  /** @deprecated Pass `inputSpec`. A real batch whose spec (batch dimension relaxed) becomes the input spec. */
  dummyBatch?: Batch;
  /** Where loss and metric names are resolved; default: a container with the built-in losses and metrics. */
  container?: DependencyContainer;
}

let defaultContainer: DependencyContainer | undefined;
let dummyBatchWarned = false;

/**
 * Wraps an uncompiled tfjs-layers model as a fedkit {@link Model}, with the
 * semantics of TFF's `tff.learning.models.from_keras_model`.
 *
 * @throws TypeError when `kerasModel` is not a LayersModel, `loss` or `metrics` have the wrong type,
 *   a spec leaf is not a TensorSpec, or `lossWeights` is given with a single loss.
 * @throws ValueError when the model is compiled, `inputSpec`/`dummyBatch` are both or neither given,
 *   the spec is not two elements `x` and `y`, or an array's length differs from the outputs.
 * @throws KeyError when record keys differ from the model's output (or input) names.
 * @example
 * ```ts
 * const keras = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10, activation: 'softmax' })] });
 * const model = fromKerasModel(keras, {
 *   loss: 'sparse_categorical_crossentropy',
 *   inputSpec: { x: new TensorSpec([null, 784]), y: new TensorSpec([null, 1], 'int32') },
 *   metrics: ['accuracy'], // sparse categorical accuracy here, from the shapes, as in Keras
 * });
 * ```
 */
export function fromKerasModel(kerasModel: tf.LayersModel, options: FromKerasModelOptions): Model {
  if (!(kerasModel instanceof tf.LayersModel)) {
    throw new TypeError(
      `fromKerasModel expects a tf.LayersModel (tf.sequential() or tf.model()), found ${describe(kerasModel)}.` +
        (looksLikeLayersModel(kerasModel)
          ? ' It is a LayersModel of another copy of @tensorflow/tfjs: the model was built with a different tfjs than fedkit uses. ' +
            'Install one @tensorflow/tfjs for both (npm ls @tensorflow/tfjs shows the copies; remove the nested one or run npm dedupe).'
          : ''),
    );
  }
  if (kerasModel.optimizer !== undefined) {
    throw new ValueError(
      'fromKerasModel expects an uncompiled model, but this one was compiled (it has an optimizer). ' +
        'Federated training supplies its own client and server optimizers: build the model without calling model.compile(). ' +
        'A model from tf.loadLayersModel comes back compiled when its artifacts carry a training config (a Keras-converted ' +
        'compiled model, or one saved with includeOptimizer): load it with loadUncompiledLayersModel(pathOrArtifacts) from ' +
        '@fedkit/keras-adapter, or load the topology without the training config: ' +
        'tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData })).',
    );
  }
  if (typeof options !== 'object' || options === null) throw new TypeError(`fromKerasModel expects an options object, found ${describe(options)}.`);
  const { loss, inputSpec, dummyBatch, lossWeights, metrics } = options;
  if (loss === null || (typeof loss !== 'string' && typeof loss !== 'function' && typeof loss !== 'object')) {
    throw new TypeError(
      `loss must be a loss name, a Loss, a (yTrue, yPred) => Scalar function, an array of them or a record keyed by output name; found ${describe(loss)}.`,
    );
  }
  if ((inputSpec === undefined) === (dummyBatch === undefined)) {
    throw new ValueError(
      `Pass exactly one of inputSpec and dummyBatch (found ${inputSpec === undefined ? 'neither' : 'both'}); inputSpec is preferred, dummyBatch is deprecated.`,
    );
  }
  let spec: StructSpec;
  if (inputSpec !== undefined) {
    spec = normalizeInputSpec(inputSpec);
  } else {
    if (!dummyBatchWarned) {
      dummyBatchWarned = true;
      emitWarning('fromKerasModel: dummyBatch is deprecated; pass inputSpec (TensorSpecs with null batch dimensions) instead.', { type: 'DeprecationWarning' });
    }
    spec = specFromDummyBatch(dummyBatch!);
  }
  checkInputNames(kerasModel, spec);

  const container = options.container ?? (defaultContainer ??= registerMetrics(registerLosses(createFedkitContainer())));
  const { losses, weights } = resolveLossStructure(container, loss, lossWeights, outputNamesOf(kerasModel));
  const yPredShape = kerasModel.outputs[0]!.shape;
  const metricList = resolveMetricList(metrics, { container, yPredShape, yTrueShape: firstLabelShape(spec, outputNamesOf(kerasModel)) ?? yPredShape });
  warnAboutBatchNorm(kerasModel);
  return new KerasModelWrapper(kerasModel, spec, losses, weights, metricList);
}

/** The spec shape of the first output's labels: `y` itself, or its element for the first output. */
function firstLabelShape(spec: StructSpec, outputNames: readonly string[]): readonly (number | null)[] | undefined {
  const y = spec.get('y');
  const first = y instanceof StructSpec ? (y.isNamed ? y.get(outputNames[0]!) : y.get(0)) : y;
  return first instanceof TensorSpec ? first.shape : undefined;
}

/** A named x struct for a multi-input model must be keyed by the model's input names. */
function checkInputNames(kerasModel: tf.LayersModel, spec: StructSpec): void {
  const x = spec.get('x');
  if (!(x instanceof StructSpec) || !x.isNamed || inputNamesOf(kerasModel).length < 2) return;
  const keys = x.names as string[];
  const missing = inputNamesOf(kerasModel).filter((n) => !keys.includes(n));
  const unexpected = keys.filter((k) => !inputNamesOf(kerasModel).includes(k));
  if (missing.length > 0 || unexpected.length > 0) {
    throw new KeyError(
      `inputSpec.x keys must be the model's input names (${inputNamesOf(kerasModel).join(', ')})` +
        `${missing.length > 0 ? `; missing: ${missing.join(', ')}` : ''}${unexpected.length > 0 ? `; unexpected: ${unexpected.join(', ')}` : ''}.`,
    );
  }
}

function warnAboutBatchNorm(kerasModel: tf.LayersModel): void {
  const hasBatchNorm = (layers: readonly tf.layers.Layer[]): boolean =>
    layers.some(
      (l) => l.getClassName() === 'BatchNormalization' || (l instanceof tf.LayersModel && hasBatchNorm(l.layers)),
    );
  if (hasBatchNorm(kerasModel.layers)) {
    emitWarning(
      'The model contains BatchNormalization: its moving statistics are non-trainable and are not federated-averaged, ' +
        'so each client keeps its own. Normalization that needs no batch statistics (e.g. GroupNormalization or LayerNormalization) is safer in federated training.',
      { code: 'FEDKIT_BATCH_NORM' },
    );
  }
}

/** A LayersModel from a second tfjs copy: the same shape, but not `instanceof` this copy's class. */
function looksLikeLayersModel(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { layers?: unknown; getClassName?: unknown; predict?: unknown };
  return Array.isArray(v.layers) && typeof v.getClassName === 'function' && typeof v.predict === 'function';
}
