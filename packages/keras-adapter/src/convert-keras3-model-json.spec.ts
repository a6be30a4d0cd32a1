import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { convertKeras3ModelJson, isKeras3ModelJson } from './convert-keras3-model-json.js';
import { loadUncompiledLayersModel } from './load-uncompiled-layers-model.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'keras3');

interface ModelJson {
  modelTopology: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

const readFixture = (name: string): ModelJson => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as ModelJson;

/** Fixed, distinct values for the k-th weight; moving variances stay positive. */
function fixtureValues(name: string, size: number, k: number): Float32Array {
  return Float32Array.from({ length: size }, (_, j) => {
    const v = 0.5 * Math.sin(1 + 7 * k + j);
    return name.endsWith('moving_variance') ? 1 + v : v;
  });
}

/** The fixture's weights as in-memory artifacts: specs from its manifest, data from {@link fixtureValues}. */
function artifactsOf(json: ModelJson): tf.io.ModelArtifacts {
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const data = specs.map((s, k) => fixtureValues(s.name, s.shape.reduce((p, d) => p * d, 1), k));
  return {
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: tf.io.concatenateArrayBuffers(data.map((d) => d.buffer as ArrayBuffer)),
  };
}

/** Gives `model` the fixture's weights, matched by Keras weight name (`dense/kernel`). */
function setFixtureWeights(model: tf.LayersModel, json: ModelJson): void {
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  model.setWeights(
    model.weights.map((w) => {
      const k = specs.findIndex((s) => s.name === w.originalName);
      expect(k, w.originalName).toBeGreaterThanOrEqual(0);
      return tf.tensor(fixtureValues(specs[k]!.name, w.shape.reduce((p, d) => p! * d!, 1)!, k), w.shape as number[]);
    }),
  );
}

/** The Sequential fixture, built directly: Conv2D(3, 3x3, relu) → BatchNormalization → Flatten → Dense(4, softmax). */
function sequentialDirect(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 'conv2d', inputShape: [5, 5, 2], filters: 3, kernelSize: 3, activation: 'relu' }),
      tf.layers.batchNormalization({ name: 'batch_normalization', momentum: 0.99, epsilon: 0.001 }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'dense', units: 4, activation: 'softmax' }),
    ],
  });
}

/** The functional fixture, built directly: a Conv2D→BN→Flatten→Dense(relu) branch plus a Flatten→Dense(tanh) branch, added, → Dense(2, softmax). */
function functionalDirect(): tf.LayersModel {
  const image = tf.input({ shape: [4, 4, 1], name: 'image' });
  let a = tf.layers.conv2d({ name: 'conv2d', filters: 2, kernelSize: 3, padding: 'same' }).apply(image) as tf.SymbolicTensor;
  a = tf.layers.batchNormalization({ name: 'batch_normalization', momentum: 0.99, epsilon: 0.001 }).apply(a) as tf.SymbolicTensor;
  a = tf.layers.flatten({ name: 'flatten' }).apply(a) as tf.SymbolicTensor;
  a = tf.layers.dense({ name: 'dense', units: 3, activation: 'relu' }).apply(a) as tf.SymbolicTensor;
  let b = tf.layers.flatten({ name: 'flatten_1' }).apply(image) as tf.SymbolicTensor;
  b = tf.layers.dense({ name: 'dense_1', units: 3, activation: 'tanh' }).apply(b) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'add' }).apply([a, b]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ name: 'predictions', units: 2, activation: 'softmax' }).apply(sum) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: out });
}

const input = (shape: number[]): tf.Tensor =>
  tf.tensor(Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => Math.cos(i) * 2), shape);

describe('Keras 3 model.json fixtures through the shim', () => {
  it.each([
    ['Sequential (Conv2D, BatchNormalization, Dense)', 'sequential.model.json', sequentialDirect, [3, 5, 5, 2]],
    ['functional (Conv2D, BatchNormalization, Dense, Add)', 'functional.model.json', functionalDirect, [3, 4, 4, 1]],
  ] as const)('%s: tfjs alone cannot load it; through the shim it predicts what the same model built in tfjs-layers predicts', async (_, file, direct, shape) => {
    const json = readFixture(file);
    await expect(tf.loadLayersModel(tf.io.fromMemory(artifactsOf(json)))).rejects.toThrow();
    const built = direct();
    setFixtureWeights(built, json);
    const x = input([...shape]);

    const loaded = await loadUncompiledLayersModel(artifactsOf(json));

    const want = (built.predict(x) as tf.Tensor).arraySync() as number[][];
    const got = (loaded.predict(x) as tf.Tensor).arraySync() as number[][];
    expect(loaded.optimizer).toBeUndefined();
    expect(got.length).toBe(3);
    got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 6)));
    // The rows differ, so the comparison is not one of constant outputs.
    expect(want[0]).not.toEqual(want[1]);
    tf.dispose([x]);
    built.dispose();
    loaded.dispose();
  });

  it('converts a Keras 3 node with a list of tensors (a merge layer) to one Keras 2 node entry per input', () => {
    const tensor = (layer: string): object => ({
      class_name: '__keras_tensor__',
      config: { shape: [null, 3], dtype: 'float32', keras_history: [layer, 0, 0] },
    });
    const layer = { class_name: 'Add', name: 'add', config: { name: 'add' }, inbound_nodes: [{ args: [[tensor('a'), tensor('b')]], kwargs: {} }] };

    expect(convertKeras3ModelJson(layer).inbound_nodes).toEqual([
      [
        ['a', 0, 0, {}],
        ['b', 0, 0, {}],
      ],
    ]);
  });

  it('renames batch_shape, unwraps DTypePolicy, drops Keras 3 fields, and leaves its input unchanged', () => {
    const layer = {
      module: 'keras.layers',
      class_name: 'InputLayer',
      registered_name: null,
      config: { batch_shape: [null, 4], dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null } },
      build_config: { input_shape: [null, 4] },
    };
    const copy = structuredClone(layer);

    const converted = convertKeras3ModelJson(layer);

    expect(converted).toEqual({ class_name: 'InputLayer', config: { batch_input_shape: [null, 4], dtype: 'float32' } });
    expect(layer).toEqual(copy);
  });

  it('wraps single input/output triples, renames Functional to Model, and passes Keras 2 JSON unchanged', () => {
    expect(convertKeras3ModelJson({ class_name: 'Functional', config: { input_layers: ['x', 0, 0], output_layers: { y: ['y', 0, 0] } } })).toEqual({
      class_name: 'Model',
      config: { input_layers: [['x', 0, 0]], output_layers: [['y', 0, 0]] },
    });
    const keras2 = sequentialDirect().toJSON(null, false) as object;
    expect(isKeras3ModelJson(keras2)).toBe(false);
    expect(convertKeras3ModelJson(keras2)).toEqual(keras2);
    expect(isKeras3ModelJson(readFixture('sequential.model.json'))).toBe(true);
  });

  it('throws a ValueError for a mixed-precision dtype policy', () => {
    const layer = { class_name: 'Dense', config: { dtype: { class_name: 'DTypePolicy', config: { name: 'mixed_float16' } } } };

    expect(() => convertKeras3ModelJson(layer)).toThrow(ValueError);
    expect(() => convertKeras3ModelJson(layer)).toThrow(/config\.dtype is "mixed_float16".*set_dtype_policy\('float32'\)/);
  });
});
