import * as tf from '@tensorflow/tfjs';
import { KeyError, StructSpec, TensorSpec, ValueError } from '@fedkit/core';
import { MeanAbsoluteError } from '@fedkit/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { fromKerasModel } from './from-keras-model.js';
import { linearModel, threeOutputModel } from './testing/models.js';

const spec3 = { x: new TensorSpec([null, 3]), y: new TensorSpec([null, 1]) };
const threeOutputSpec = {
  x: [new TensorSpec([null, 1]), new TensorSpec([null, 1])],
  y: [new TensorSpec([null, 1]), new TensorSpec([null, 1]), new TensorSpec([null, 1])],
};

describe('fromKerasModel validation', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('says a model that looks like a LayersModel but is not one comes from a second copy of tfjs, and how to fix it', () => {
    // What a second tfjs copy's tf.sequential() looks like to this copy: the same shape, another class.
    class Sequential {
      layers = [];
      getClassName(): string {
        return 'Sequential';
      }
      predict(): void {}
    }
    const load = () => fromKerasModel(new Sequential() as unknown as tf.LayersModel, { loss: 'mse', inputSpec: spec3 });
    expect(load).toThrow(TypeError);
    expect(load).toThrow(/another copy of @tensorflow\/tfjs.*npm ls @tensorflow\/tfjs/);
    expect(() => fromKerasModel({} as tf.LayersModel, { loss: 'mse', inputSpec: spec3 })).not.toThrow(/another copy/);
  });

  it('throws a TypeError when the model is not a tf.LayersModel', () => {
    expect(() => fromKerasModel({} as tf.LayersModel, { loss: 'mse', inputSpec: spec3 })).toThrow(TypeError);
  });

  it('throws a ValueError saying how to fix a compiled model', () => {
    const m = linearModel(3);
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(() => fromKerasModel(m, { loss: 'mse', inputSpec: spec3 })).toThrow(ValueError);
    expect(() => fromKerasModel(m, { loss: 'mse', inputSpec: spec3 })).toThrow(/uncompiled model.*without calling model.compile\(\)/);
  });

  it('throws a TypeError for a loss that is a number or null', () => {
    expect(() => fromKerasModel(linearModel(3), { loss: 3 as never, inputSpec: spec3 })).toThrow(TypeError);
    expect(() => fromKerasModel(linearModel(3), { loss: null as never, inputSpec: spec3 })).toThrow(TypeError);
  });

  it('throws a ValueError when both inputSpec and dummyBatch are given', () => {
    const batch = { x: tf.zeros([1, 3]), y: tf.zeros([1, 1]) };
    expect(() => fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: spec3, dummyBatch: batch })).toThrow(/exactly one of inputSpec and dummyBatch \(found both\)/);
    tf.dispose(batch);
  });

  it('throws a ValueError when neither inputSpec nor dummyBatch is given', () => {
    expect(() => fromKerasModel(linearModel(3), { loss: 'mse' })).toThrow(/found neither/);
  });

  it('throws a ValueError when an array spec does not have two elements', () => {
    const s = [new TensorSpec([null, 3])] as never;
    expect(() => fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: s })).toThrow(ValueError);
  });

  it('throws a ValueError when a record spec lacks x or y', () => {
    const s = { x: new TensorSpec([null, 3]), z: new TensorSpec([null, 1]) } as never;
    expect(() => fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: s })).toThrow(/keys "x" and "y", found "x", "z"/);
  });

  it('throws a ValueError when a StructSpec does not have two elements', () => {
    const s = new StructSpec({ x: new TensorSpec([null, 3]) });
    expect(() => fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: s })).toThrow(ValueError);
  });

  it('throws a TypeError when a spec leaf is a tensor', () => {
    const t = tf.zeros([1, 3]);
    expect(() => fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: { x: t as never, y: new TensorSpec([null, 1]) } })).toThrow(TypeError);
    t.dispose();
  });

  it('throws a ValueError when an array loss has the wrong length', () => {
    expect(() => fromKerasModel(threeOutputModel(), { loss: ['mse', 'mse'], inputSpec: threeOutputSpec })).toThrow(/2 entries but the model has 3 outputs/);
  });

  it('throws a ValueError when lossWeights has the wrong length', () => {
    expect(() => fromKerasModel(threeOutputModel(), { loss: ['mse', 'mse', 'mse'], lossWeights: [1, 2], inputSpec: threeOutputSpec })).toThrow(ValueError);
  });

  it('throws a TypeError when lossWeights is given with a single loss', () => {
    expect(() => fromKerasModel(linearModel(3), { loss: 'mse', lossWeights: [1], inputSpec: spec3 })).toThrow(TypeError);
  });

  it('throws a KeyError naming missing and unexpected keys of a record loss', () => {
    const m = threeOutputModel();
    const [o1, o2] = m.outputNames;
    const loss = { [o1!]: 'mse', [o2!]: 'mse', extra: 'mse' };
    expect(() => fromKerasModel(m, { loss, inputSpec: threeOutputSpec })).toThrow(KeyError);
    expect(() => fromKerasModel(m, { loss, inputSpec: threeOutputSpec })).toThrow(new RegExp(`missing: ${m.outputNames[2]}; unexpected: extra`));
  });

  it('throws a KeyError when record lossWeights keys differ from the output names', () => {
    const m = threeOutputModel();
    expect(() => fromKerasModel(m, { loss: ['mse', 'mse', 'mse'], lossWeights: { nope: 1 }, inputSpec: threeOutputSpec })).toThrow(KeyError);
  });

  it('throws a TypeError when metrics mix instances and factories', () => {
    expect(() => fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: spec3, metrics: [new MeanAbsoluteError(), () => new MeanAbsoluteError()] as never })).toThrow(/not a mix/);
  });

  it('throws a TypeError when a metric entry is neither a name, a Metric nor callable', () => {
    expect(() => fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: spec3, metrics: [42] as never })).toThrow(TypeError);
  });

  it('throws a TypeError when a metric factory returns a non-metric', () => {
    expect(() => fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: spec3, metrics: [() => 42] as never })).toThrow(/must return a Metric/);
  });

  it('warns once about BatchNormalization and still builds the model', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const keras = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 }), tf.layers.batchNormalization(), tf.layers.dense({ units: 1 })] });
    const model = fromKerasModel(keras, { loss: 'mse', inputSpec: spec3 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/BatchNormalization.*not federated-averaged.*GroupNormalization/);
    expect(model.nonTrainableVariables).toHaveLength(2);
  });

  it('throws a ValueError naming the path when a batch disagrees with inputSpec', () => {
    const model = fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: { x: new TensorSpec([null, 3]), y: new TensorSpec([null, 1], 'int32') } });
    const batch = { x: tf.zeros([2, 3]), y: tf.zeros([2, 1]) };
    expect(() => model.forwardPass(batch)).toThrow(/batch element "y" has dtype float32 but input_spec expects int32\[\?,1\]/);
    const wide = { x: tf.zeros([2, 4]), y: tf.zeros([2, 1], 'int32') };
    expect(() => model.forwardPass(wide)).toThrow(/batch element "x" has shape \[2,4\]/);
    tf.dispose([batch, wide]);
  });
});
