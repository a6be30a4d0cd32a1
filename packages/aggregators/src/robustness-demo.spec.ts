import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { ModelWeights, StructSpec, TensorSpec, type AggregatorFactory, type Batch, type LearningProcessState } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { buildUnweightedFedAvg, unweightedMeanFactory } from '@fedkit/learning';
import { describe, expect, it } from 'vitest';

import { coordinateMedian } from './coordinate-median.js';
import { krum } from './krum.js';
import { trimmedMean } from './trimmed-mean.js';

// A small 3-class task: 4-feature Gaussian blobs, 10 IID clients of 30 examples, a softmax regression.
const CLASSES = 3;
const FEATURES = 4;
const rng = seedrandom('robustness-demo');
const normal = () => Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng());
function sample(n: number): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % CLASSES;
    x.push(Array.from({ length: FEATURES }, (_, f) => (f === label ? 2.5 : 0) + normal()));
    y.push(label);
  }
  return { x, y };
}
const clients = Array.from({ length: 10 }, () => sample(30));
const test = sample(300);

function dataset({ x, y }: { x: number[][]; y: number[] }): Iterable<Batch> {
  return {
    *[Symbol.iterator]() {
      for (let i = 0; i < x.length; i += 10) {
        yield { x: tf.tensor2d(x.slice(i, i + 10)), y: tf.tensor2d(y.slice(i, i + 10).map((v) => [v]), undefined, 'int32') };
      }
    },
  };
}

const keras = () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [FEATURES], units: CLASSES, activation: 'softmax', kernelInitializer: 'zeros' })] });
const modelFn = () =>
  fromKerasModel(keras(), {
    loss: 'sparse_categorical_crossentropy',
    inputSpec: { x: new TensorSpec([null, FEATURES]), y: new TensorSpec([null, 1], 'int32') },
  });

/** Test-only wrapper: clients 0 and 1 send their update multiplied by -100 (a sign-flip attack). */
function attacked(inner: AggregatorFactory): AggregatorFactory {
  return {
    weighted: inner.weighted,
    create(valueSpec: StructSpec) {
      const agg = inner.create(valueSpec);
      return {
        weighted: agg.weighted,
        valueSpec: agg.valueSpec,
        stateSpec: agg.stateSpec,
        measurementsSpec: agg.measurementsSpec,
        initialize: () => agg.initialize(),
        next: (state, values, weights) => agg.next(state, values.map((v, c) => (c < 2 ? v.map((a) => a.map((e) => e * -100)) : v)), weights),
      };
    },
  };
}

async function trainAndScore(aggregator: AggregatorFactory): Promise<number> {
  const process = buildUnweightedFedAvg({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.1), modelAggregator: aggregator });
  let state = process.initialize() as LearningProcessState;
  for (let round = 0; round < 8; round++) state = (await process.next(state, clients.map(dataset))).state as LearningProcessState;
  const model = keras();
  const weights = ModelWeights.fromArrays(process.getModelWeights(state));
  weights.assignWeightsTo(model);
  weights.dispose();
  const predicted = tf.tidy(() => (model.predict(tf.tensor2d(test.x)) as tf.Tensor).argMax(-1).dataSync());
  model.dispose();
  return test.y.filter((label, i) => predicted[i] === label).length / test.y.length;
}

describe('robust aggregation against 2 of 10 sign-flipping clients (x -100)', () => {
  it('plain mean collapses while median, trimmed mean and Krum stay within 2 points of the clean run', async () => {
    const clean = await trainAndScore(unweightedMeanFactory());
    expect(clean).toBeGreaterThan(0.8);
    const attackedMean = await trainAndScore(attacked(unweightedMeanFactory()));
    expect(attackedMean).toBeLessThan(clean - 0.2);
    const robustScores: Record<string, number> = {};
    for (const [name, robust] of [['median', coordinateMedian()], ['trimmed_mean', trimmedMean({ beta: 0.2 })], ['krum', krum({ f: 2 })]] as const) {
      robustScores[name] = await trainAndScore(attacked(robust));
    }
    console.info('test accuracy', { clean, attackedMean, ...robustScores });
    for (const accuracy of Object.values(robustScores)) expect(Math.abs(accuracy - clean)).toBeLessThanOrEqual(0.02);
  });
});
