import * as tf from '@tensorflow/tfjs';
import { ModelWeights, ValueError, type ClientExecutor } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { applyOptimizerFinalizer } from './apply-optimizer-finalizer.js';
import { broadcastDistributor } from './broadcast-distributor.js';
import { AggregatorWeightingError, composeLearningProcess, CompositionError } from './compose-learning-process.js';
import { unweightedMeanFactory, weightedMeanFactory } from './mean-aggregator.js';
import { buildClientWork } from './client-work.js';
import { InProcessExecutor, modelEnvironment } from './executors/in-process-executor.js';
import { fedAdam, sgd } from './server-optimizer.js';
import { LinearModel, datasetOf } from './testing/linear-model.js';
import { weightsSpecOf } from './weights-spec.js';

function blocks(model: LinearModel, weighted = true) {
  const w = ModelWeights.fromModel(model);
  const initialModelWeights = w.toArrays();
  w.dispose();
  const spec = weightsSpecOf(initialModelWeights);
  return {
    initialModelWeights,
    distributor: broadcastDistributor(spec),
    clientWork: buildClientWork({ model, optimizer: () => tf.train.sgd(0.01), update: { name: 'local_training' }, weighted }),
    finalizer: applyOptimizerFinalizer(sgd(1.0), spec),
  };
}

describe('composeLearningProcess', () => {
  // TFF fed_avg_test.py test_weighted_fed_avg_raises_on_unweighted_aggregator: TypeError matching 'WeightedAggregationFactory'.
  it('throws a TypeError at composition when a weighted client work gets an unweighted aggregator (TFF test_weighted_fed_avg_raises_on_unweighted_aggregator)', () => {
    const model = new LinearModel();
    expect(() => composeLearningProcess({ ...blocks(model), aggregator: unweightedMeanFactory() })).toThrow(TypeError);
    expect(() => composeLearningProcess({ ...blocks(model), aggregator: unweightedMeanFactory() })).toThrow(/WeightedAggregationFactory/);
    try {
      composeLearningProcess({ ...blocks(model), aggregator: unweightedMeanFactory() });
    } catch (e) {
      expect(e).toBeInstanceOf(AggregatorWeightingError);
      expect((e as AggregatorWeightingError).block).toBe('aggregator');
      expect((e as Error).message).toMatch(/^aggregator: .*weighted aggregator/);
    }
    model.dispose();
  });

  it('throws a TypeError at composition when an unweighted client work gets a weighted aggregator (TFF test_unweighted_fed_avg_raises_on_weighted_aggregator)', () => {
    const model = new LinearModel();
    expect(() => composeLearningProcess({ ...blocks(model, false), aggregator: weightedMeanFactory() })).toThrow(TypeError);
    expect(() => composeLearningProcess({ ...blocks(model, false), aggregator: weightedMeanFactory() })).toThrow(/aggregator: .*unweighted aggregator/);
    model.dispose();
  });

  it('throws at composition when the finalizer was built for other weights, naming the finalizer', () => {
    const model = new LinearModel();
    const other = new LinearModel([0, 0, 0]);
    const w = ModelWeights.fromModel(other);
    const otherSpec = weightsSpecOf(w.toArrays());
    w.dispose();
    const err = (() => {
      try {
        composeLearningProcess({ ...blocks(model), aggregator: weightedMeanFactory(), finalizer: applyOptimizerFinalizer(sgd(1.0), otherSpec) });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(CompositionError);
    expect((err as CompositionError).block).toBe('finalizer');
    expect((err as Error).message).toContain('float32[3,1]');
    model.dispose();
    other.dispose();
  });

  it('prints its type signature in TFF notation', () => {
    const model = new LinearModel();
    const process = composeLearningProcess({ ...blocks(model), aggregator: weightedMeanFactory() });
    const state =
      '<global_model_weights=<trainable=<float32[2,1],float32[1]>,non_trainable=<>>,distributor=<>,client_work=<>,aggregator=<>,finalizer=<step=int32,slots=<>>>@SERVER';
    expect(process.typeSignature.initialize.toString()).toBe(`( -> ${state})`);
    expect(process.typeSignature.next.toString()).toBe(
      `(<state=${state},client_data={<x=float32[?,2],y=float32[?,1]>*}@CLIENTS> -> <state=${state},metrics=` +
        '<distributor=<>,client_work=<train=<loss=float32,num_examples=float32,num_batches=float32>>,' +
        'aggregator=<mean_value=<>,mean_weight=<>>,finalizer=<update_non_finite=int32>,failures=int32,retries=int32>@SERVER>)',
    );
    model.dispose();
  });

  it('puts the server optimizer slots in the state signature', () => {
    const model = new LinearModel();
    const b = blocks(model);
    const process = composeLearningProcess({ ...b, aggregator: weightedMeanFactory(), finalizer: applyOptimizerFinalizer(fedAdam(), b.distributor.weightsSpec) });
    expect(process.typeSignature.initialize.toString()).toContain('finalizer=<step=int32,slots=<m=<float32[2,1],float32[1]>,v=<float32[2,1],float32[1]>>>');
    model.dispose();
  });

  it('runs a round with TFF-shaped metrics', async () => {
    const model = new LinearModel();
    const process = composeLearningProcess({ ...blocks(model), aggregator: weightedMeanFactory() });
    const out = await process.next(process.initialize(), [datasetOf([{ x: [[1, 2], [3, 4]], y: [[5], [6]] }])]);
    expect(out.metrics).toEqual({
      distributor: {},
      client_work: { train: { loss: 30.5, num_examples: 2, num_batches: 1 } }, // (25 + 36) / 2
      aggregator: { mean_value: {}, mean_weight: {} },
      finalizer: { update_non_finite: 0 },
      failures: 0,
      retries: 0,
    });
    expect(out.state.round).toBe(1);
    // one client, sgd(1.0): new global = trained = [0.23, 0.34], 0.11 (see train-client.spec)
    expect(out.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(0.23, 6);
    model.dispose();
  });

  it('counts a client its executor started twice (an infrastructure retry) in retries, not in failures', async () => {
    const model = new LinearModel();
    const inner = new InProcessExecutor(modelEnvironment(model));
    // An executor whose worker died during client 0's first run, so another ran it again.
    const retrying: ClientExecutor = {
      name: 'retrying',
      acceptsLocalValues: true,
      runClients: async (tasks) => (await inner.runClients(tasks)).map((o) => ({ ...o, attempts: o.clientIndex === 0 ? 2 : 1 })),
    };
    const b = blocks(model);
    const process = composeLearningProcess({
      ...b,
      clientWork: buildClientWork({ model, optimizer: () => tf.train.sgd(0.01), update: { name: 'local_training' }, weighted: true, executor: retrying }),
      aggregator: weightedMeanFactory(),
    });
    const data = () => datasetOf([{ x: [[1, 2]], y: [[5]] }]);
    const out = await process.next(process.initialize(), [data(), data()]);
    expect(out.metrics.failures).toBe(0);
    expect(out.metrics.retries).toBe(1);
    expect(out.clientReports[0]!.attempts).toBe(2);
    model.dispose();
  });

  it('setModelWeights refuses weights of another shape', () => {
    const model = new LinearModel();
    const process = composeLearningProcess({ ...blocks(model), aggregator: weightedMeanFactory() });
    const state = process.initialize();
    const bad = { ...state.globalModelWeights, trainable: [new Float32Array(3), new Float32Array(1)], trainableShapes: [[3, 1], [1]] };
    expect(() => process.setModelWeights(state, bad)).toThrow(ValueError);
    const good = { ...state.globalModelWeights, trainable: [Float32Array.of(1, 2), Float32Array.of(3)] };
    expect(Array.from(process.getModelWeights(process.setModelWeights(state, good)).trainable[0]!)).toEqual([1, 2]);
    model.dispose();
  });
});
