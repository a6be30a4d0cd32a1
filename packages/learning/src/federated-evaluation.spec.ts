import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { buildFederatedEvaluation } from './federated-evaluation.js';
import { kerasDense } from './testing/keras-models.js';
import { LinearModel, datasetOf } from './testing/linear-model.js';

describe('buildFederatedEvaluation', () => {
  it('identity Dense(1) (ones kernel, zeros bias) with Accuracy on x == y over 3 clients: accuracy 1, loss 0', async () => {
    const evaluation = buildFederatedEvaluation(() => kerasDense(1, 'ones', true));
    const identity = { trainable: [Float32Array.of(1), Float32Array.of(0)], nonTrainable: [], trainableShapes: [[1, 1], [1]], nonTrainableShapes: [] };
    const clients = [
      datasetOf([{ x: [[1], [2]], y: [[1], [2]] }]),
      datasetOf([{ x: [[3]], y: [[3]] }, { x: [[4], [5]], y: [[4], [5]] }]),
      datasetOf([{ x: [[-1]], y: [[-1]] }]),
    ];
    const { metrics, failures } = await evaluation.evaluate(identity, clients);
    // 2 + 3 + 1 = 6 examples, 1 + 2 + 1 = 4 batches; every prediction equals its label
    expect(metrics['accuracy']).toBe(1);
    expect(metrics['loss']).toBe(0);
    expect(metrics['num_examples']).toBe(6);
    expect(metrics['num_batches']).toBe(4);
    expect(failures).toBe(0);
  });

  it('sums metric states before finalizing (loss over the union, not a mean of means)', async () => {
    const evaluation = buildFederatedEvaluation(() => new LinearModel([0], 0));
    const zero = { trainable: [Float32Array.of(0), Float32Array.of(0)], nonTrainable: [], trainableShapes: [[1, 1], [1]], nonTrainableShapes: [] };
    // predictions are 0: client A squared errors [1, 1] (2 examples), client B [16] (1 example)
    // union MSE = (1 + 1 + 16)/3 = 6; the mean of the clients' means would be (1 + 16)/2 = 8.5
    const { metrics } = await evaluation.evaluate(zero, [datasetOf([{ x: [[0], [0]], y: [[1], [-1]] }]), datasetOf([{ x: [[0]], y: [[4]] }])]);
    expect(metrics['loss']).toBeCloseTo(6, 6);
  });

  it('runs forwardPass with training = false and leaks no tensors', async () => {
    const model = new LinearModel([0], 0);
    const seen: boolean[] = [];
    const original = model.forwardPass.bind(model);
    model.forwardPass = (batch, training) => {
      seen.push(training === true);
      return original(batch, training);
    };
    const evaluation = buildFederatedEvaluation(() => model);
    const w = { trainable: [Float32Array.of(1), Float32Array.of(0)], nonTrainable: [], trainableShapes: [[1, 1], [1]], nonTrainableShapes: [] };
    await evaluation.evaluate(w, [datasetOf([{ x: [[1]], y: [[1]] }])]);
    const before = tf.memory().numTensors;
    await evaluation.evaluate(w, [datasetOf([{ x: [[1]], y: [[1]] }]), datasetOf([{ x: [[2]], y: [[1]] }])]);
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([false, false, false]);
  });
});
