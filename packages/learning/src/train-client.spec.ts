import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import type { ModelWeightArrays } from '@fedkit/core';

import { LinearModel, datasetOf } from './testing/linear-model.js';
import { ClientTrainingError, trainClient } from './train-client.js';

function weights(kernel: number[], bias: number): ModelWeightArrays {
  return { trainable: [Float32Array.from(kernel), Float32Array.of(bias)], nonTrainable: [], trainableShapes: [[kernel.length, 1], [1]], nonTrainableShapes: [] };
}

describe('trainClient', () => {
  it('one SGD step on one batch: update = initial − trained, weight = examples', async () => {
    const model = new LinearModel();
    const opt = tf.train.sgd(0.01);
    const r = await trainClient(model, weights([0, 0], 0), datasetOf([{ x: [[1, 2], [3, 4]], y: [[5], [6]] }]), opt, { mode: 'local_training' });
    opt.dispose();
    // err = pred − y = [-5, -6]; dL/dpred = 2·err/2 = [-5, -6]
    // dk = xᵀ·[-5,-6] = [-5-18, -10-24] = [-23, -34]; db = -11
    // trained = 0 − 0.01·grad = [0.23, 0.34], 0.11 → update = initial − trained = [-0.23, -0.34], [-0.11]
    expect(r.update[0]![0]).toBeCloseTo(-0.23, 6);
    expect(r.update[0]![1]).toBeCloseTo(-0.34, 6);
    expect(r.update[1]![0]).toBeCloseTo(-0.11, 6);
    expect(r.updateWeight).toBe(2);
    expect(r.metrics).toEqual({ loss: [61, 2], num_examples: [2], num_batches: [1] }); // loss (25+36)/2 = 30.5, ·2 = 61
    model.dispose();
  });

  it('a dataset of 4 examples repeated twice in batches of 3 gives weight 8 and 3 batches', async () => {
    const model = new LinearModel([0], 0);
    const rows = [1, 2, 3, 4].map((v) => ({ x: [v], y: [v] }));
    // 8 examples in batches of 3 → 3, 3, 2: three batches
    const ds = tf.data.array(rows).repeat(2).batch(3);
    const opt = tf.train.sgd(0.001);
    const r = await trainClient(model, weights([0], 0), ds as never, opt, { mode: 'local_training' });
    opt.dispose();
    expect(r.updateWeight).toBe(8);
    expect(r.numBatches).toBe(3);
    expect(r.metrics['num_batches']).toEqual([3]);
    expect(r.metrics['num_examples']).toEqual([8]);
    model.dispose();
  });

  it('initial weights with NaN give weight 0 and a zero update', async () => {
    const model = new LinearModel();
    const opt = tf.train.sgd(0.01);
    const r = await trainClient(model, weights([NaN, 0], 0), datasetOf([{ x: [[1, 2]], y: [[5]] }]), opt, { mode: 'local_training' });
    opt.dispose();
    expect(r.updateNonFinite).toBe(true);
    expect(r.updateWeight).toBe(0);
    expect(r.update.map((u) => Array.from(u))).toEqual([[0, 0], [0]]);
    model.dispose();
  });

  it('an empty dataset gives weight 0 and a zero update', async () => {
    const model = new LinearModel();
    const opt = tf.train.sgd(0.01);
    const r = await trainClient(model, weights([1, 2], 3), [], opt, { mode: 'local_training' });
    opt.dispose();
    expect(r.updateWeight).toBe(0);
    expect(r.numBatches).toBe(0);
    expect(r.update.map((u) => Array.from(u))).toEqual([[0, 0], [0]]);
    model.dispose();
  });

  it('throws ClientTrainingError naming the client and the path when a batch does not fit inputSpec', async () => {
    const model = new LinearModel();
    const opt = tf.train.sgd(0.01);
    const bad = [{ x: tf.tensor2d([[1, 2]]), y: tf.tensor2d([[1]], [1, 1], 'int32') }];
    await expect(trainClient(model, weights([0, 0], 0), bad, opt, { mode: 'local_training', clientIndex: 4 })).rejects.toThrow(
      /client 4: batch element "y" has dtype int32/,
    );
    opt.dispose();
    model.dispose();
  });

  it('reports how far a client got when its dataset throws', async () => {
    const model = new LinearModel();
    const opt = tf.train.sgd(0.01);
    function* failing() {
      yield { x: tf.tensor2d([[1, 2], [3, 4]]), y: tf.tensor2d([[5], [6]]) };
      throw new Error('disk gone');
    }
    const err = await trainClient(model, weights([0, 0], 0), failing(), opt, { mode: 'local_training', clientIndex: 1 }).catch((e: unknown) => e);
    opt.dispose();
    expect(err).toBeInstanceOf(ClientTrainingError);
    expect((err as ClientTrainingError).message).toBe('client 1: disk gone');
    expect((err as ClientTrainingError).numExamples).toBe(2);
    model.dispose();
  });

  it('stops between batches when the signal is aborted and disposes the batches it pulled', async () => {
    const model = new LinearModel();
    const controller = new AbortController();
    let made = 0;
    function* batches() {
      for (let i = 0; i < 5; i++) {
        made++;
        if (i === 1) controller.abort(new Error('stop'));
        yield { x: tf.tensor2d([[1, 2]]), y: tf.tensor2d([[5]]) };
      }
    }
    const before = tf.memory().numTensors;
    const opt = tf.train.sgd(0.01);
    await expect(trainClient(model, weights([0, 0], 0), batches(), opt, { mode: 'local_training', signal: controller.signal })).rejects.toThrow('stop');
    opt.dispose();
    expect(made).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('gradient mode returns the example-weighted mean gradient and leaves the weights', async () => {
    const model = new LinearModel();
    // batch A: x=[[1,2],[3,4]], y=[[5],[6]] at w=0: mean grad dk=[-23,-34], db=-11 (2 examples)
    // batch B: x=[[0,1]], y=[[2]]: err -2, dL/dpred = -4 → dk=[0,-4], db=-4 (1 example)
    // weighted mean: dk = [(2·-23 + 0)/3, (2·-34 - 4)/3] = [-46/3, -24], db = (-22 - 4)/3 = -26/3
    const r = await trainClient(
      model,
      weights([0, 0], 0),
      datasetOf([{ x: [[1, 2], [3, 4]], y: [[5], [6]] }, { x: [[0, 1]], y: [[2]] }]),
      undefined,
      { mode: 'gradient' },
    );
    expect(r.update[0]![0]).toBeCloseTo(-46 / 3, 4);
    expect(r.update[0]![1]).toBeCloseTo(-24, 4);
    expect(r.update[1]![0]).toBeCloseTo(-26 / 3, 4);
    expect(r.updateWeight).toBe(3);
    expect(Array.from(model.trainableVariables[0]!.dataSync())).toEqual([0, 0]);
    model.dispose();
  });

  it('does not leak tensors', async () => {
    const model = new LinearModel();
    const run = async () => {
      const opt = tf.train.sgd(0.01);
      await trainClient(model, weights([0, 0], 0), datasetOf([{ x: [[1, 2], [3, 4]], y: [[5], [6]] }, { x: [[0, 1]], y: [[2]] }]), opt, {
        mode: 'local_training',
        proximalStrength: 0.5,
      });
      opt.dispose();
    };
    await run();
    const before = tf.memory().numTensors;
    await run();
    await run();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
