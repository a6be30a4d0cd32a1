import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import type { Model } from '@fedkit/core';

import type { ClientExecutor } from '@fedkit/core';

import { InProcessExecutor, modelEnvironment } from './executors/in-process-executor.js';
import { buildUnweightedFedAvg, buildWeightedFedAvg } from './fed-avg.js';
import { exponentialDecay } from './learning-rate-schedule.js';
import { kerasDense } from './testing/keras-models.js';
import { LinearModel, datasetOf } from './testing/linear-model.js';

const batch = { x: [[1, 2], [3, 4]], y: [[5], [6]] };
const threeClients = () => [datasetOf([batch]), datasetOf([batch]), datasetOf([batch])];

describe('buildWeightedFedAvg', () => {
  it('trains a Keras zeros Dense(1): loss strictly decreases over 3 rounds and num_examples is 6', async () => {
    const process = buildWeightedFedAvg({ modelFn: () => kerasDense(2), clientOptimizerFn: () => tf.train.sgd(0.01) });
    let state = process.initialize();
    const losses: number[] = [];
    for (let round = 0; round < 3; round++) {
      const out = await process.next(state, threeClients());
      state = out.state;
      losses.push(out.metrics.client_work.train['loss']!);
      expect(out.metrics.client_work.train['num_examples']).toBe(6);
      expect(out.metrics.failures).toBe(0);
    }
    // round 1 at w = 0: MSE = (5² + 6²)/2 = 30.5.
    // one SGD step (see train-client.spec): k = [0.23, 0.34], b = 0.11; identical clients → global = that.
    // round 2: pred = [0.23+0.68+0.11, 0.69+1.36+0.11] = [1.02, 2.16]; MSE = (3.98² + 3.84²)/2 = 15.293
    expect(losses[0]).toBeCloseTo(30.5, 4);
    expect(losses[1]).toBeCloseTo(15.293, 3);
    expect(losses[2]!).toBeLessThan(losses[1]!);
  });

  it('averages by number of examples: clients moving by 2 and 1 examples give the weighted mean', async () => {
    // One feature, w = 0. Client A: 2 examples x=1,y=1 (one batch); client B: 1 example x=1,y=4.
    // A: err = [-1,-1], dL/dpred = 2·err/2 = [-1,-1], dk = -2, db = -2; lr 0.1 → trained k = b = 0.2; update = -0.2
    // B: err = -4, dL/dpred = -8, dk = db = -8 → trained k = b = 0.8; update = -0.8
    // weighted mean update = (2·-0.2 + 1·-0.8)/3 = -0.4 → global = 0 - (-0.4) = 0.4
    const process = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1) });
    const out = await process.next(process.initialize(), [
      datasetOf([{ x: [[1], [1]], y: [[1], [1]] }]),
      datasetOf([{ x: [[1]], y: [[4]] }]),
    ]);
    expect(out.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(0.4, 6);
    expect(out.state.globalModelWeights.trainable[1]![0]).toBeCloseTo(0.4, 6);
    expect(out.clientReports.map((r) => r.updateWeight)).toEqual([2, 1]);
    // unweighted: (-0.2 + -0.8)/2 = -0.5 → 0.5
    const unweighted = buildUnweightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1) });
    const u = await unweighted.next(unweighted.initialize(), [
      datasetOf([{ x: [[1], [1]], y: [[1], [1]] }]),
      datasetOf([{ x: [[1]], y: [[4]] }]),
    ]);
    expect(u.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(0.5, 6);
  });

  it('honours clientWeighting uniform and a function of the client metrics', async () => {
    const data = () => [datasetOf([{ x: [[1], [1]], y: [[1], [1]] }]), datasetOf([{ x: [[1]], y: [[4]] }])];
    // updates -0.2 (2 examples) and -0.8 (1 example), as above
    const uniform = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1), clientWeighting: 'uniform' });
    const u = await uniform.next(uniform.initialize(), data());
    expect(u.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(0.5, 6); // (-0.2 - 0.8)/2
    const squared = buildWeightedFedAvg({
      modelFn: () => new LinearModel([0], 0),
      clientOptimizerFn: () => tf.train.sgd(0.1),
      clientWeighting: (m) => m['num_examples']![0]! ** 2,
    });
    const s = await squared.next(squared.initialize(), data());
    // weights 4 and 1: (4·-0.2 + 1·-0.8)/5 = -0.32
    expect(s.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(0.32, 6);
    expect(s.clientReports.map((r) => r.updateWeight)).toEqual([4, 1]);
  });

  it('gives the same result whatever order a custom executor returns the clients in', async () => {
    const data = () => [datasetOf([{ x: [[1], [1]], y: [[1], [1]] }]), datasetOf([{ x: [[1]], y: [[4]] }]), datasetOf([{ x: [[2]], y: [[0]] }])];
    const model = new LinearModel([0], 0);
    const inner = new InProcessExecutor(modelEnvironment(model));
    // Outcomes arrive last client first: the streaming order must not change the sums.
    const reversed: ClientExecutor = {
      name: 'reversed',
      acceptsLocalValues: true,
      runClients: async (tasks, options) => {
        const outcomes = await inner.runClients(tasks, { ...options, onOutcome: undefined });
        for (const o of outcomes.reverse()) options?.onOutcome?.(o);
        return options?.onOutcome === undefined ? outcomes : [];
      },
    };
    const a = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1) });
    const b = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1), executor: reversed });
    const outA = await a.next(a.initialize(), data());
    const outB = await b.next(b.initialize(), data());
    expect(Array.from(outB.state.globalModelWeights.trainable[0]!)).toEqual(Array.from(outA.state.globalModelWeights.trainable[0]!));
    expect(outB.clientReports.map((r) => r.clientIndex)).toEqual([0, 1, 2]);
  });

  it('leaves the weights unchanged and reports num_examples 0 when every client is empty', async () => {
    const process = buildWeightedFedAvg({ modelFn: () => new LinearModel([1, 2], 3), clientOptimizerFn: () => tf.train.sgd(0.1) });
    const out = await process.next(process.initialize(), [[], [], []]);
    expect(out.state.globalModelWeights.trainable.map((a) => Array.from(a))).toEqual([[1, 2], [3]]);
    expect(out.metrics.client_work.train['num_examples']).toBe(0);
    expect(out.metrics.finalizer).toEqual({ update_non_finite: 0 });
    expect(out.metrics.failures).toBe(0);
  });

  it('gives a client with NaN data weight 0 and keeps update_non_finite 0 because the mean is finite', async () => {
    const process = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1) });
    const out = await process.next(process.initialize(), [
      datasetOf([{ x: [[1], [1]], y: [[1], [1]] }]), // update -0.2 (see above), weight 2
      datasetOf([{ x: [[NaN]], y: [[4]] }]), // NaN update → zeros, weight 0
    ]);
    expect(out.clientReports[1]).toMatchObject({ ok: true, updateWeight: 0, updateNonFinite: true });
    expect(out.metrics.finalizer).toEqual({ update_non_finite: 0 });
    // mean = (2·-0.2 + 0·0)/2 = -0.2 → global 0.2
    expect(out.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(0.2, 6);
  });

  it('drops a failing client, counts it in failures and completes the round with the others', async () => {
    const process = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1) });
    function* broken() {
      yield { x: tf.tensor2d([[1]]), y: tf.tensor2d([[4]]) };
      throw new Error('corrupt record');
    }
    const out = await process.next(process.initialize(), [datasetOf([{ x: [[1], [1]], y: [[1], [1]] }]), broken()]);
    expect(out.metrics.failures).toBe(1);
    expect(out.clientReports[1]).toMatchObject({ clientIndex: 1, ok: false, numExamples: 1, updateWeight: 0, error: 'client 1: corrupt record' });
    expect(out.metrics.client_work.train['num_examples']).toBe(2);
    // client 0's own metrics: squared errors [1, 1] at w = 0 → loss 1
    expect(out.clientReports[0]!.metrics).toEqual({ loss: 1, num_examples: 2, num_batches: 1 });
    expect(out.clientReports[1]!.metrics).toBeUndefined();
    expect(out.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(0.2, 6);
  });

  it('rejects a round with no client unless minClients is 0', async () => {
    const strict = buildWeightedFedAvg({ modelFn: () => new LinearModel([1], 2), clientOptimizerFn: () => tf.train.sgd(0.1) });
    await expect(strict.next(strict.initialize(), [])).rejects.toThrow(/Only 0 of 0 clients succeeded but minClients is 1/);
    const lenient = buildWeightedFedAvg({ modelFn: () => new LinearModel([1], 2), clientOptimizerFn: () => tf.train.sgd(0.1), minClients: 0 });
    const out = await lenient.next(lenient.initialize(), []);
    expect(out.state.globalModelWeights.trainable.map((a) => Array.from(a))).toEqual([[1], [2]]);
    expect(out.metrics.client_work.train['num_examples']).toBe(0);
  });

  it('rejects when a custom executor loses a client', async () => {
    const model = new LinearModel([0], 0);
    const inner = new InProcessExecutor(modelEnvironment(model));
    const lossy: ClientExecutor = {
      name: 'lossy',
      acceptsLocalValues: true,
      runClients: async (tasks, options) => inner.runClients(tasks.slice(1), { ...options }),
    };
    const process = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1), executor: lossy });
    await expect(process.next(process.initialize(), [datasetOf([{ x: [[1]], y: [[1]] }]), datasetOf([{ x: [[1]], y: [[1]] }])])).rejects.toThrow(
      /exactly one outcome per task/,
    );
  });

  it('reports a batch that does not fit inputSpec as a failure naming the client and the path', async () => {
    const process = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1) });
    const out = await process.next(process.initialize(), [
      datasetOf([{ x: [[1]], y: [[1]] }]),
      [{ x: tf.tensor2d([[1, 2]]), y: tf.tensor2d([[1]]) }],
    ]);
    expect(out.clientReports[1]!.error).toMatch(/^client 1: batch element "x" has shape \[1,2\]/);
  });

  it('fails the round with a clear error when fewer than minClients succeed', async () => {
    const process = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1), minClients: 2 });
    function* broken(): Generator<never> {
      throw new Error('offline');
    }
    await expect(process.next(process.initialize(), [datasetOf([{ x: [[1]], y: [[1]] }]), broken()])).rejects.toThrow(
      /Only 1 of 2 clients succeeded but minClients is 2[\s\S]*client 1: offline/,
    );
  });

  it('rejects with the abort reason when the signal is aborted mid-round', async () => {
    const process = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1) });
    const controller = new AbortController();
    function* slow() {
      yield { x: tf.tensor2d([[1]]), y: tf.tensor2d([[1]]) };
      controller.abort(new Error('cancelled by user'));
      yield { x: tf.tensor2d([[1]]), y: tf.tensor2d([[1]]) };
    }
    await expect(process.next(process.initialize(), [slow(), datasetOf([{ x: [[1]], y: [[1]] }])], { signal: controller.signal })).rejects.toThrow(
      'cancelled by user',
    );
  });

  it('calls modelFn once however many clients and rounds', async () => {
    let calls = 0;
    const process = buildWeightedFedAvg({
      modelFn: (): Model => {
        calls++;
        return new LinearModel([0], 0);
      },
      clientOptimizerFn: () => tf.train.sgd(0.1),
    });
    let state = process.initialize();
    for (let r = 0; r < 3; r++) state = (await process.next(state, [datasetOf([{ x: [[1]], y: [[1]] }]), datasetOf([{ x: [[2]], y: [[1]] }])])).state;
    expect(calls).toBe(1);
  });

  it('resumes exactly from a structured clone of its state (checkpoint)', async () => {
    const process = buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1) });
    const data = () => [datasetOf([{ x: [[1], [2]], y: [[1], [3]] }])];
    let state = process.initialize();
    state = (await process.next(state, data())).state;
    const saved = structuredClone(state);
    const a = (await process.next(state, data())).state;
    const b = (await process.next(saved, data())).state;
    expect(b.round).toBe(2);
    expect(b.globalModelWeights.trainable.map((x) => Array.from(x))).toEqual(a.globalModelWeights.trainable.map((x) => Array.from(x)));
  });

  it('keeps tf.memory().numTensors the same after round 1 and round 50', async () => {
    const process = buildWeightedFedAvg({ modelFn: () => kerasDense(2), clientOptimizerFn: () => tf.train.sgd(0.01) });
    let state = process.initialize();
    state = (await process.next(state, threeClients())).state;
    const afterRound1 = tf.memory().numTensors;
    for (let round = 2; round <= 50; round++) state = (await process.next(state, threeClients())).state;
    expect(state.round).toBe(50);
    expect(tf.memory().numTensors).toBe(afterRound1);
  });

  it('takes the client learning rate from a schedule each round (TFF build_scheduled_client_work)', async () => {
    // One client, x = 1, y = 1, from w = b = 0; the schedule halves the rate each round: 0.1, then 0.05.
    // Round 1: grad dw = db = 2·(0 − 1) = −2 → w = b = 0.2. Round 2: pred 0.4, grad 2·(0.4 − 1) = −1.2 → w = b = 0.2 + 0.05·1.2 = 0.26.
    // (With a fixed 0.1, round 2 would give 0.32.)
    const process = buildWeightedFedAvg({
      modelFn: () => new LinearModel([0], 0),
      clientOptimizer: { name: 'sgd', learningRate: 0.1 },
      clientLearningRateSchedule: exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }),
    });
    const data = () => [datasetOf([{ x: [[1]], y: [[1]] }])];
    const one = await process.next(process.initialize(), data());
    const two = await process.next(one.state, data());
    expect(one.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(0.2, 6);
    expect(two.state.globalModelWeights.trainable[0]![0]).toBeCloseTo(0.26, 6);
    expect(() => buildWeightedFedAvg({ modelFn: () => new LinearModel([0], 0), clientOptimizerFn: () => tf.train.sgd(0.1), clientLearningRateSchedule: () => 0.1 })).toThrow(TypeError);
  });
});
