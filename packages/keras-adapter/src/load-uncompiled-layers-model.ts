import * as tf from '@tensorflow/tfjs';
import { describe } from '@fedkit/core';

import { convertKeras3ModelJson, isKeras3ModelJson } from './convert-keras3-model-json.js';

/** Where a layers model comes from: a path or URL to its model.json, its artifacts, or a tfjs IOHandler. */
export type LayersModelSource = string | tf.io.ModelArtifacts | tf.io.IOHandler;

/**
 * Loads a tfjs layers model **uncompiled**, as `fromKerasModel` requires, from
 * `source`:
 * - an `http(s)://` URL of a model.json (fetched with `tf.io.http`);
 * - another URL scheme tfjs has a handler for (`indexeddb://`, `localstorage://`);
 * - in Node, a file path or `file://` URL of a model.json, whose weight shards
 *   are read next to it;
 * - `ModelArtifacts` already in memory, or any `IOHandler` with `load()`.
 *
 * `tf.loadLayersModel` compiles a model whose artifacts carry a `trainingConfig`
 * (a model saved with `includeOptimizer`, or converted from a compiled Keras
 * model); here that config is dropped before the model is built, so the model
 * comes back with no optimizer and its weights loaded. Topologies saved by
 * Keras 3 are converted first (see {@link convertKeras3ModelJson}).
 *
 * @throws TypeError when `source` is none of the above.
 * @example
 * ```ts
 * const keras = await loadUncompiledLayersModel('models/mobilenet/model.json');
 * const model = fromKerasModel(keras, { loss: 'categorical_crossentropy', inputSpec });
 * ```
 */
export async function loadUncompiledLayersModel(source: LayersModelSource): Promise<tf.LayersModel> {
  const artifacts = await readArtifacts(source);
  if (artifacts.modelTopology === undefined || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new TypeError(
      `loadUncompiledLayersModel expects a layers model (artifacts with a JSON modelTopology), found ${describe(artifacts.modelTopology)}. ` +
        'A graph model (tf.loadGraphModel) cannot be trained; convert the Keras model with --output_format=tfjs_layers_model.',
    );
  }
  let modelTopology = artifacts.modelTopology as Record<string, unknown>;
  if (isKeras3ModelJson(modelTopology)) modelTopology = convertKeras3ModelJson(modelTopology);
  // Keras converters put the training config inside the topology, tfjs's own save next to it: drop both.
  if ('training_config' in modelTopology) {
    const { training_config: _, ...rest } = modelTopology;
    modelTopology = rest;
  }
  const uncompiled: tf.io.ModelArtifacts = { modelTopology };
  if (artifacts.weightSpecs !== undefined) uncompiled.weightSpecs = artifacts.weightSpecs;
  if (artifacts.weightData !== undefined) uncompiled.weightData = artifacts.weightData;
  return tf.loadLayersModel(tf.io.fromMemory(uncompiled));
}

async function readArtifacts(source: LayersModelSource): Promise<tf.io.ModelArtifacts> {
  if (typeof source === 'string') {
    if (/^https?:\/\//i.test(source)) return load(tf.io.http(source), source);
    const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
    if (isNode && (source.startsWith('file://') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(source))) {
      // Node only, and loaded only here, so a browser bundle never pulls in node:fs.
      const { readModelArtifactsFromFile } = await import('./read-model-artifacts-from-file.js');
      return readModelArtifactsFromFile(source);
    }
    const handlers = tf.io.getLoadHandlers(source);
    if (handlers.length === 0) {
      throw new TypeError(
        `loadUncompiledLayersModel: no tfjs IO handler loads "${source}". Pass an http(s) URL, a file path (in Node), ` +
          'an indexeddb:// or localstorage:// URL, ModelArtifacts, or an IOHandler.',
      );
    }
    return load(handlers[0]!, source);
  }
  if (typeof source === 'object' && source !== null) {
    if (typeof (source as tf.io.IOHandler).load === 'function') return load(source as tf.io.IOHandler, 'the IOHandler');
    if ('modelTopology' in source) return source;
  }
  throw new TypeError(
    `loadUncompiledLayersModel expects a model.json path or URL, ModelArtifacts or an IOHandler, found ${describe(source)}.`,
  );
}

async function load(handler: tf.io.IOHandler, what: string): Promise<tf.io.ModelArtifacts> {
  if (handler.load === undefined) throw new TypeError(`loadUncompiledLayersModel: ${what} cannot load (its IOHandler has no load()).`);
  return handler.load();
}
