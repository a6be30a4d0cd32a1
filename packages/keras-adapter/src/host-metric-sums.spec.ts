import * as tf from '@tensorflow/tfjs';
import type { HostValues, Metric } from '@fedkit/core';
import { Mean, MeanAbsoluteError, SparseCategoricalAccuracy } from '@fedkit/metrics';
import { describe, expect, it } from 'vitest';

import { HostMetricSums } from './host-metric-sums.js';

const scalar = (v: number): HostValues => ({ values: Float32Array.of(v), shape: [] });

describe('HostMetricSums', () => {
  it('sums batch deltas in float32 from the state the variables hold, and writes them back on flush', () => {
    // The state starts at [0.5, 1] (one update of 0.5); then 0.1 · 10 and 0.2 · 10 in float32.
    const mean = new Mean();
    const first = tf.scalar(0.5);
    mean.updateState(first);
    first.dispose();
    const sums = new HostMetricSums();

    expect(sums.add(mean, scalar(0.1), scalar(0.1), scalar(10))).toBe(true);
    expect(sums.add(mean, scalar(0.2), scalar(0.2), scalar(10))).toBe(true);
    expect(mean.unfinalizedState()).toEqual([0.5, 1]);
    sums.flush();

    const total = Math.fround(Math.fround(0.5 + Math.fround(Math.fround(0.1) * 10)) + Math.fround(Math.fround(0.2) * 10));
    expect(mean.unfinalizedState()).toEqual([total, 21]);
    mean.dispose();
  });

  it('writes nothing twice: a second flush leaves a later updateState alone', () => {
    const mean = new Mean();
    const sums = new HostMetricSums();
    sums.add(mean, scalar(2), scalar(2));
    sums.flush(mean);
    const three = tf.scalar(3);
    mean.updateState(three);
    three.dispose();

    sums.flush();

    expect(mean.unfinalizedState()).toEqual([5, 2]);
    mean.dispose();
  });

  it('returns false and keeps nothing for a metric or batch without a host form', () => {
    const mae = new MeanAbsoluteError();
    const accuracy = new SparseCategoricalAccuracy();
    const sums = new HostMetricSums();
    const y = { values: Int32Array.of(0), shape: [1] };

    expect(sums.add(mae, y, { values: Float32Array.of(0.5), shape: [1, 1] })).toBe(false);
    expect(sums.add(accuracy, { values: Float32Array.of(0), shape: [1] }, { values: Float32Array.of(0.2, 0.8), shape: [1, 2] })).toBe(false);
    sums.flush();

    expect(mae.unfinalizedState()).toEqual([0, 0]);
    expect(accuracy.unfinalizedState()).toEqual([0, 0]);
    mae.dispose();
    accuracy.dispose();
  });

  it('clear() drops the pending sums without writing them', () => {
    const mean = new Mean();
    const sums = new HostMetricSums();
    sums.add(mean, scalar(4), scalar(4));

    sums.clear();
    sums.flush();

    expect(mean.unfinalizedState()).toEqual([0, 0]);
    mean.dispose();
  });

  it('throws a RangeError naming the metric when batchDelta does not give one value per state element', () => {
    const broken = Object.assign(new Mean({ name: 'broken' }), { batchDelta: (): number[] => [1] }) as Metric;

    expect(() => new HostMetricSums().add(broken, scalar(1), scalar(1))).toThrow(/^broken: batchDelta returned 1 values for a state of 2/);
  });

  it('leaves no tensor behind', () => {
    const mean = new Mean();
    const sums = new HostMetricSums();
    const before = tf.memory().numTensors;

    for (let i = 0; i < 3; i++) {
      sums.add(mean, scalar(i), scalar(i));
      sums.flush();
    }

    expect(tf.memory().numTensors).toBe(before);
    mean.dispose();
  });
});
