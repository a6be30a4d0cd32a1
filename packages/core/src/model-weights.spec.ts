import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { ValueError } from './errors.js';
import { ModelWeights } from './model-weights.js';

function denseModel(units: number, init: 'zeros' | 'ones'): tf.LayersModel {
  return tf.sequential({
    layers: [tf.layers.dense({ inputShape: [2], units, kernelInitializer: init, biasInitializer: init })],
  });
}

describe('ModelWeights', () => {
  it('snapshots values rather than holding the live variables', () => {
    const model = denseModel(1, 'zeros');
    const w = ModelWeights.fromModel(model);
    model.trainableWeights[0]!.write(tf.ones([2, 1]));
    expect(Array.from(w.trainable[0]!.dataSync())).toEqual([0, 0]);
    w.dispose();
    model.dispose();
  });

  it('assigns weights by position to another LayersModel', () => {
    const source = denseModel(1, 'ones');
    const target = denseModel(1, 'zeros');
    const w = ModelWeights.fromModel(source);
    w.assignWeightsTo(target);
    expect(Array.from(target.getWeights()[0]!.dataSync())).toEqual([1, 1]);
    expect(Array.from(target.getWeights()[1]!.dataSync())).toEqual([1]);
    w.dispose();
    source.dispose();
    target.dispose();
  });

  it('round-trips through Float32Arrays with shapes', () => {
    const w = new ModelWeights([tf.tensor2d([[1, 2], [3, 4]])], [tf.tensor1d([5])]);
    const arrays = w.toArrays();
    expect(arrays.trainableShapes).toEqual([[2, 2]]);
    expect(Array.from(arrays.trainable[0]!)).toEqual([1, 2, 3, 4]);
    const back = ModelWeights.fromArrays(arrays);
    expect(back.trainable[0]!.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(Array.from(back.nonTrainable[0]!.dataSync())).toEqual([5]);
    w.dispose();
    back.dispose();
  });

  it('throws when the number of variables differs', () => {
    const w = new ModelWeights([tf.zeros([2, 1])], []);
    const target = denseModel(1, 'zeros');
    expect(() => w.assignWeightsTo(target)).toThrow(ValueError);
    expect(() => w.assignWeightsTo(target)).toThrow(/1 trainable weights to a model with 2 trainable variables/);
    w.dispose();
    target.dispose();
  });

  it('throws when a shape differs', () => {
    const w = new ModelWeights([tf.zeros([2, 3]), tf.zeros([3])], []);
    const target = denseModel(1, 'zeros');
    expect(() => w.assignWeightsTo(target)).toThrow(/weight 0 has shape \[2,3\] but variable .* has shape \[2,1\]/);
    w.dispose();
    target.dispose();
  });

  it('leaves no tensor behind after fromModel, assign and dispose', () => {
    const model = denseModel(3, 'ones');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      const w = ModelWeights.fromModel(model);
      w.assignWeightsTo(model);
      w.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
