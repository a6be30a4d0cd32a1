import * as tf from '@tensorflow/tfjs';
import { ModelWeights, ValueError, type Batch, type ClientDataset, type ModelWeightArrays } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { buildPersonalizationEval, fineTune, type PersonalizationClientData } from './personalization-eval.js';
import { LinearModel } from './testing/linear-model.js';

/** One fresh batch of one example each time the dataset is read (forEachBatch disposes what it reads). */
function onePoint(x: number, y: number): ClientDataset {
  return {
    *[Symbol.iterator](): Iterator<Batch> {
      yield { x: tf.tensor2d([[x]]), y: tf.tensor2d([[y]]) };
    },
  };
}

const sgd = { name: 'sgd', learningRate: 0.1 } as const;
const strategies = { sgd_1_epoch: fineTune({ optimizer: sgd, epochs: 1 }), sgd_2_epochs: fineTune({ optimizer: sgd, epochs: 2 }) };
const globalWeights = (): ModelWeightArrays => {
  const w = ModelWeights.fromModel(new LinearModel([0], 0));
  try {
    return w.toArrays();
  } finally {
    w.dispose();
  }
};

// Model y = w·x + b, global w = b = 0, loss (w·x + b − y)², SGD 0.1 on one example x = 1:
// gradient on w and b alike 2(w + b − y), so one step from 0 towards y = 2 gives w = b = 0.4, a second 0.64;
// towards y = 4: 0.8, then 1.28.
// Client A: train (1, 2), test (2, 4): baseline 4² = 16; 1 epoch: (4 − 1.2)² = 7.84; 2 epochs: (4 − 1.92)² = 4.3264.
// Client B: train = test = (1, 4): baseline 16; 1 epoch: (4 − 1.6)² = 5.76; 2 epochs: (4 − 2.56)² = 2.0736.
const clientA: PersonalizationClientData = { trainData: onePoint(1, 2), testData: onePoint(2, 4) };
const clientB: PersonalizationClientData = { trainData: onePoint(1, 4), testData: onePoint(1, 4) };

describe('buildPersonalizationEval (TFF build_personalization_eval)', () => {
  it('evaluates the global model, then each strategy from the global weights, on every client (hand-computed)', async () => {
    const p13n = buildPersonalizationEval(() => new LinearModel([0], 0), strategies);
    const { clients, failures } = await p13n.evaluate(globalWeights(), [clientA, clientB]);
    expect(failures).toEqual([]);
    expect(clients.map((c) => c.clientIndex)).toEqual([0, 1]);
    const [a, b] = clients;
    expect(a!.metrics['baseline_metrics']!['loss']).toBeCloseTo(16, 5);
    expect(a!.metrics['sgd_1_epoch']!['loss']).toBeCloseTo(7.84, 4);
    // From the global weights again: two more epochs after the 1-epoch model would end at w = b = 0.8416 (loss 2.3),
    // not at 0.64.
    expect(a!.metrics['sgd_2_epochs']!['loss']).toBeCloseTo(4.3264, 4);
    expect(b!.metrics['baseline_metrics']!['loss']).toBeCloseTo(16, 5);
    expect(b!.metrics['sgd_1_epoch']!['loss']).toBeCloseTo(5.76, 4);
    expect(b!.metrics['sgd_2_epochs']!['loss']).toBeCloseTo(2.0736, 4);
    expect([a!.metrics['sgd_1_epoch']!['num_train_examples'], a!.metrics['sgd_2_epochs']!['num_train_examples']]).toEqual([1, 2]);
    expect(a!.metrics['sgd_1_epoch']!['num_examples']).toBe(1);
  });

  it('summarizes each metric over clients: mean, min, max and the mean change from the baseline', async () => {
    const p13n = buildPersonalizationEval(() => new LinearModel([0], 0), strategies);
    const { summary } = await p13n.evaluate(globalWeights(), [clientA, clientB]);
    expect(summary['baseline_metrics']!['loss']).toEqual({ mean: 16, min: 16, max: 16 });
    const one = summary['sgd_1_epoch']!['loss']!;
    expect([one.mean, one.min, one.max, one.meanChangeFromBaseline]).toEqual([
      expect.closeTo((7.84 + 5.76) / 2, 4),
      expect.closeTo(5.76, 4),
      expect.closeTo(7.84, 4),
      expect.closeTo((7.84 - 16 + 5.76 - 16) / 2, 4),
    ]);
    expect(summary['sgd_2_epochs']!['loss']!.mean).toBeCloseTo((4.3264 + 2.0736) / 2, 4);
  });

  it('collects at most maxNumClients clients, a seeded sample without replacement', async () => {
    const p13n = (seed: number) => buildPersonalizationEval(() => new LinearModel([0], 0), strategies, { maxNumClients: 2, seed });
    const data = [clientA, clientB, clientA, clientB, clientA];
    const first = (await p13n(3).evaluate(globalWeights(), data)).clients.map((c) => c.clientIndex);
    expect(first).toHaveLength(2);
    expect(new Set(first).size).toBe(2);
    expect((await p13n(3).evaluate(globalWeights(), data)).clients.map((c) => c.clientIndex)).toEqual(first);
  });

  it('records a failing client in failures and keeps the others', async () => {
    const broken: PersonalizationClientData = { trainData: onePoint(1, 2), testData: { *[Symbol.iterator]() { yield { x: tf.tensor2d([[1, 2]]), y: tf.tensor2d([[1]]) }; } } };
    const p13n = buildPersonalizationEval(() => new LinearModel([0], 0), strategies);
    const { clients, failures, summary } = await p13n.evaluate(globalWeights(), [broken, clientB]);
    expect(clients.map((c) => c.clientIndex)).toEqual([1]);
    expect(failures).toEqual([{ clientIndex: 0, error: expect.stringMatching(/^client 0:/) }]);
    expect(summary['sgd_1_epoch']!['loss']!.mean).toBeCloseTo(5.76, 4);
  });

  it('leaves no tensors behind across evaluations', async () => {
    const p13n = buildPersonalizationEval(() => new LinearModel([0], 0), strategies);
    const weights = globalWeights();
    await p13n.evaluate(weights, [clientA]);
    const before = tf.memory().numTensors;
    await p13n.evaluate(weights, [clientA, clientB]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('throws a ValueError for a strategy named baseline_metrics or a maxNumClients below 1, as TFF does', () => {
    expect(() => buildPersonalizationEval(() => new LinearModel([0], 0), { baseline_metrics: strategies.sgd_1_epoch })).toThrow(ValueError);
    expect(() => buildPersonalizationEval(() => new LinearModel([0], 0), strategies, { maxNumClients: 0 })).toThrow(/maxNumClients must be a positive integer/);
    expect(() => fineTune({ optimizer: sgd, epochs: 0 })).toThrow(/epochs must be a positive integer/);
  });
});
