/**
 * @packageDocumentation
 * `fromKerasModel`: TFF's `tff.learning.models.from_keras_model` for tfjs-layers models.
 */
export { fromKerasModel, type FromKerasModelOptions } from './from-keras-model.js';
export { KerasModelWrapper } from './keras-model-wrapper.js';
export { normalizeInputSpec, specFromDummyBatch, type InputSpecLike } from './normalize-input-spec.js';
export { resolveLossStructure, type LossLike, type LossOption, type ResolvedLosses } from './loss-structure.js';
export { resolveMetricList, type MetricsOption, type MetricNameContext } from './metric-list.js';
export { outputNamesOf, inputNamesOf } from './model-io-names.js';
export { denseStackOf, type DenseStack } from './dense-stack.js';
export { loadUncompiledLayersModel, type LayersModelSource } from './load-uncompiled-layers-model.js';
export { convertKeras3ModelJson, isKeras3ModelJson } from './convert-keras3-model-json.js';
