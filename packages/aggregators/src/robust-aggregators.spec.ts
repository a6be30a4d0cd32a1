import { StructSpec, TensorSpec } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { clipping } from './clipping.js';
import { coordinateMedian } from './coordinate-median.js';
import { krum, multiKrum } from './krum.js';
import { testMean } from './testing/mean-factory.js';
import { trimmedMean } from './trimmed-mean.js';
import { zeroing } from './zeroing.js';

const spec = (n: number) => new StructSpec([new TensorSpec([n])]);
const values = (...rows: number[][]) => rows.map((r) => [Float32Array.from(r)]);

async function aggregate(factory: ReturnType<typeof coordinateMedian> | ReturnType<typeof clipping>, rows: number[][], weights?: number[]) {
  const agg = factory.create(spec(rows[0]!.length));
  const out = await agg.next(agg.initialize() as never, values(...rows), weights);
  return { result: out.result.map((a) => Array.from(a)), measurements: out.measurements, state: out.state };
}

describe('coordinateMedian', () => {
  it('takes the median of each coordinate', async () => {
    // [1, 9, 3] -> 3; [2, 2, 8] -> 2
    expect((await aggregate(coordinateMedian(), [[1, 2], [9, 2], [3, 8]])).result).toEqual([[3, 2]]);
  });

  it('averages the two middle values for an even count', async () => {
    // [1, 2, 4, 10] -> (2 + 4) / 2 = 3
    expect((await aggregate(coordinateMedian(), [[1], [2], [4], [10]])).result).toEqual([[3]]);
  });
});

describe('trimmedMean', () => {
  it('cuts floor(beta n) values at each end (beta 0.2, Flower default)', async () => {
    // n = 5, cut 1 each side: [1, 2, 3, 4, 100] -> mean(2, 3, 4) = 3
    expect((await aggregate(trimmedMean(), [[1], [2], [3], [4], [100]])).result).toEqual([[3]]);
  });

  it('throws when beta is 0.5 or more', () => {
    expect(() => trimmedMean({ beta: 0.5 })).toThrow(/\[0, 0\.5\)/);
  });
});

describe('krum', () => {
  // f = 0, n = 4: each client sums squared distances to its 2 nearest others.
  // [0]: 1 + 2.25 = 3.25; [1]: 0.25 + 1 = 1.25; [1.5]: 0.25 + 2.25 = 2.5; [10]: 72.25 + 81 = 153.25
  it('picks the client closest to its neighbours', async () => {
    const out = await aggregate(krum({ f: 0 }), [[0], [1], [1.5], [10]]);
    expect(out.result).toEqual([[1]]);
    expect(out.measurements['first_selected_client']).toBe(1);
  });

  it('throws ValueError with fewer than 2f + 3 clients (n > 2f + 2, Blanchard et al. 2017)', async () => {
    // f = 1 needs 5 clients: 4 are refused, 5 are accepted
    await expect(aggregate(krum({ f: 1 }), [[0], [1], [1.5], [10]])).rejects.toThrow(/at least 2f \+ 3 = 5 clients.*found 4/);
    // 2 neighbours each: [1.5] scores 0.25 + 0.25, the lowest
    expect((await aggregate(krum({ f: 1 }), [[0], [1], [1.5], [10], [2]])).result).toEqual([[1.5]]);
  });

  it('averages the m best-scored clients with multiKrum', async () => {
    // best two: [1] and [1.5] -> 1.25
    expect((await aggregate(multiKrum({ f: 0, m: 2 }), [[0], [1], [1.5], [10]])).result).toEqual([[1.25]]);
  });
});

describe('clipping', () => {
  it('scales a norm-5 update to the bound', async () => {
    // [3, 4] has norm 5; bound 1 -> [0.6, 0.8]
    const out = await aggregate(clipping(testMean(), { norm: 1 }), [[3, 4]], [1]);
    expect(out.result[0]![0]).toBeCloseTo(0.6, 6);
    expect(out.result[0]![1]).toBeCloseTo(0.8, 6);
    expect(out.measurements['clipped_count']).toBe(1);
  });

  it('leaves updates within the bound unchanged and passes weights through', async () => {
    // [0.3, 0.4] (norm 0.5) and clipped [3, 4] -> [0.6, 0.8]; weights 3 and 1: (0.9 + 0.6) / 4 = 0.375, (1.2 + 0.8) / 4 = 0.5
    const out = await aggregate(clipping(testMean(), { norm: 1 }), [[0.3, 0.4], [3, 4]], [3, 1]);
    expect(out.result[0]![0]).toBeCloseTo(0.375, 6);
    expect(out.result[0]![1]).toBeCloseTo(0.5, 6);
  });

  it('moves an adaptive bound geometrically towards the target quantile', async () => {
    // both norms 5 > C = 1: unclipped fraction 0; C <- 1 · exp(-0.2 · (0 - 0.5)) = exp(0.1) = 1.1051709
    const out = await aggregate(clipping(testMean(), { adaptive: { targetQuantile: 0.5, learningRate: 0.2, initialNorm: 1 } }), [[3, 4], [4, 3]], [1, 1]);
    expect((out.state as { clipNorm: number }).clipNorm).toBeCloseTo(1.1051709, 6);
    expect(out.measurements['clip_norm']).toBe(1);
  });
});

describe('zeroing', () => {
  it('replaces updates above the threshold with zeros, keeping their weight', async () => {
    // [30, 40] (norm 50) > 10 -> zeros; mean of [3, 4] and [0, 0] = [1.5, 2]
    const out = await aggregate(zeroing(testMean(), { threshold: 10 }), [[3, 4], [30, 40]], [1, 1]);
    expect(out.result[0]).toEqual([1.5, 2]);
    expect(out.measurements['zeroed_count']).toBe(1);
  });
});
