import { type ClientExecutor, type ClientTaskOutcome } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { buildClientWork } from './client-work.js';
import { LinearModel, datasetOf } from './testing/linear-model.js';
import { weightsSpecOf } from './weights-spec.js';

/** An executor that lends its results: each outcome has a `recycle` that records when it was called. */
function lendingExecutor(events: string[]): ClientExecutor {
  return {
    name: 'lending',
    acceptsLocalValues: true,
    async runClients(tasks, options = {}) {
      const outcomes: ClientTaskOutcome[] = tasks.map((t) => ({
        clientIndex: t.clientIndex,
        ok: true,
        ms: 1,
        recycle: () => events.push(`recycle ${t.clientIndex}`),
        result: {
          update: [Float32Array.of(t.clientIndex, 0), Float32Array.of(0)],
          updateWeight: 1,
          updateNonFinite: false,
          numExamples: 1,
          numBatches: 1,
          metrics: { loss: [1, 1], num_examples: [1], num_batches: [1] },
        },
      }));
      // Client 1 finishes first: its result waits for client 0 (client-index order), so is passed on after it.
      if (options.onOutcome === undefined) return [outcomes[1]!, outcomes[0]!];
      options.onOutcome(outcomes[1]!);
      options.onOutcome(outcomes[0]!);
      return [];
    },
  };
}

function setUp(events: string[]) {
  const model = new LinearModel();
  const work = buildClientWork({ model, update: { name: 'local_training' }, optimizer: { name: 'sgd', learningRate: 0.1 }, weighted: true, executor: lendingExecutor(events) });
  const weights = { trainable: [new Float32Array(2), new Float32Array(1)], nonTrainable: [], trainableShapes: [[2, 1], [1]], nonTrainableShapes: [] };
  expect(weightsSpecOf(weights).equals(work.weightsSpec)).toBe(true);
  const data = () => datasetOf([{ x: [[1, 2]], y: [[5]] }]);
  return { model, work, weights, data };
}

describe('buildClientWork with an executor that lends its results', () => {
  it('recycles a streamed result only after onResult has returned, once per client', async () => {
    const events: string[] = [];
    const { model, work, weights, data } = setUp(events);
    await work.next({}, weights, [data(), data()], { onResult: (r) => events.push(`onResult ${r.clientIndex} update[0][0]=${r.update[0]![0]}`) });
    expect(events).toEqual(['onResult 0 update[0][0]=0', 'recycle 0', 'onResult 1 update[0][0]=1', 'recycle 1']);
    model.dispose();
  });

  it('never recycles a result it keeps (no onResult): the arrays stay the caller\'s', async () => {
    const events: string[] = [];
    const { model, work, weights, data } = setUp(events);
    const out = await work.next({}, weights, [data(), data()]);
    expect(out.result.clientResults.map((r) => r.update[0]![0])).toEqual([0, 1]);
    expect(events).toEqual([]);
    model.dispose();
  });
});
