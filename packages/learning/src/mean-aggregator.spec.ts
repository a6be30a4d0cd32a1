import { StructSpec, TensorSpec, ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { sumFactory, unweightedMeanFactory, weightedMeanFactory } from './mean-aggregator.js';

const spec = new StructSpec([new TensorSpec([2])]);
const values = [[Float32Array.of(1, 2)], [Float32Array.of(3, 4)]];

describe('mean aggregators', () => {
  it('weighted mean of [1,2] (w 1) and [3,4] (w 3) is [2.5, 3.5]', async () => {
    const agg = weightedMeanFactory().create(spec);
    const { result, measurements } = await agg.next(agg.initialize(), values, [1, 3]);
    // (1·1 + 3·3)/4 = 2.5, (1·2 + 3·4)/4 = 3.5
    expect(Array.from(result[0]!)).toEqual([2.5, 3.5]);
    expect(measurements).toEqual({ mean_value: {}, mean_weight: {} });
  });

  it('unweighted mean of [1,2] and [3,4] is [2, 3]', async () => {
    const agg = unweightedMeanFactory().create(spec);
    const { result } = await agg.next(agg.initialize(), values);
    // (1+3)/2 = 2, (2+4)/2 = 3
    expect(Array.from(result[0]!)).toEqual([2, 3]);
    expect(agg.weighted).toBe(false);
    expect(agg.measurementsSpec.toString()).toBe('<mean_value=<>>');
  });

  it('sum of [1,2] and [3,4] is [4, 6]', async () => {
    const agg = sumFactory().create(spec);
    const { result } = await agg.next(agg.initialize(), values);
    expect(Array.from(result[0]!)).toEqual([4, 6]);
  });

  it('sums every element for sizes 1 to 9 (whole groups of four and the rest)', async () => {
    for (let n = 1; n <= 9; n++) {
      // Client 1 holds k, client 2 holds 2k (weights 1 and 3): the mean is (k + 6k) / 4 = 1.75k, exact in float32.
      const agg = weightedMeanFactory().create(new StructSpec([new TensorSpec([n])]));
      const k = Array.from({ length: n }, (_, i) => i + 1);
      const { result } = await agg.next(agg.initialize(), [[Float32Array.from(k)], [Float32Array.from(k, (v) => 2 * v)]], [1, 3]);
      expect(Array.from(result[0]!), `size ${n}`).toEqual(k.map((v) => 1.75 * v));
    }
  });

  it('gives zeros when every weight is 0 (divide_no_nan)', async () => {
    const agg = weightedMeanFactory().create(spec);
    const { result } = await agg.next(agg.initialize(), values, [0, 0]);
    expect(Array.from(result[0]!)).toEqual([0, 0]);
  });

  it('does not depend on the order of the clients', async () => {
    const agg = weightedMeanFactory().create(spec);
    const a = await agg.next(agg.initialize(), values, [1, 3]);
    const b = await agg.next(agg.initialize(), [values[1]!, values[0]!], [3, 1]);
    expect(Array.from(b.result[0]!)).toEqual(Array.from(a.result[0]!));
  });

  it('throws when a client value does not fit the spec', async () => {
    const agg = weightedMeanFactory().create(spec);
    await expect(agg.next(agg.initialize(), [[Float32Array.of(1, 2, 3)]], [1])).rejects.toThrow(ValueError);
  });

  it('throws when a weighted mean gets no weights', async () => {
    const agg = weightedMeanFactory().create(spec);
    await expect(agg.next(agg.initialize(), values)).rejects.toThrow(/one weight per client/);
  });

  it('starts each accumulation from zero, also when it reuses the sums of one that finished', async () => {
    const agg = weightedMeanFactory().create(spec);
    await agg.next(agg.initialize(), values, [1, 3]);
    // Only [3,4] (w 2) this time: a sum left over from the first round would give ((1+3·3) + 2·3)/(4+2), not 3.
    const { result } = await agg.next(agg.initialize(), [values[1]!], [2]);
    expect(Array.from(result[0]!)).toEqual([3, 4]);
  });

  it('keeps a finished result when the next accumulation runs', async () => {
    const agg = sumFactory().create(spec);
    const first = await agg.next(agg.initialize(), values);
    await agg.next(agg.initialize(), [[Float32Array.of(10, 20)]]);
    // [1,2] + [3,4]: the second round's sums (maybe in the first one's memory) must not show through.
    expect(Array.from(first.result[0]!)).toEqual([4, 6]);
  });

  it('throws when a finished accumulation is added to or finished again', async () => {
    const agg = unweightedMeanFactory().create(spec);
    const acc = agg.accumulate(agg.initialize());
    acc.add(values[0]!);
    await acc.finish();
    expect(() => acc.add(values[1]!)).toThrow(/already finished; start another with accumulate/);
    await expect(acc.finish()).rejects.toThrow(ValueError);
  });
});
