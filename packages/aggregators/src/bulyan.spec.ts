import { StructSpec, TensorSpec, ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { bulyan, bulyanOf, meanOfClosest } from './bulyan.js';

const values = (...rows: number[][]) => rows.map((r) => [Float32Array.from(r)]);

describe('bulyan', () => {
  it("matches Flower's bulyan_test.py test_aggregate_fit: f = 0, 6 clients → the plain mean", async () => {
    const agg = bulyan({ f: 0 }).create(new StructSpec([new TensorSpec([4])]));
    const rows = [0.2, 0.5, 0.7, 12.0, 0.1, 0.1].map((v) => [v, v, v, v]);
    const out = await agg.next(agg.initialize(), values(...rows));
    const coordinate = (0.2 + 0.5 + 0.7 + 12.0 + 0.1 + 0.1) / 6;
    Array.from(out.result[0]!).forEach((v) => expect(v).toBeCloseTo(coordinate, 6));
    expect(out.measurements).toEqual({ num_clients: 6, selected: 6, beta: 6, first_selected_client: expect.any(Number) });
  });

  it("matches Flower's aggregate_test.py test_aggregate_n_closest_weights_mean (beta 2)", () => {
    const reference = [Float32Array.of(1, 2), Float32Array.of(1, 2, 3, 4)];
    const list = [
      [Float32Array.of(1, 2), Float32Array.of(1, 2, 3, 4)],
      [Float32Array.of(1.1, 2.1), Float32Array.of(1.1, 2.1, 3.1, 4.1)],
      [Float32Array.of(1.2, 2.2), Float32Array.of(1.2, 2.2, 3.2, 4.2)],
      [Float32Array.of(1.3, 2.3), Float32Array.of(0.9, 2.5, 3.4, 3.8)],
    ];
    // In float32, 1.1 and 0.9 are exactly as far from 1; the tie goes to the smaller value, Flower's (float64) answer.
    const [a, b] = meanOfClosest(reference, list, 2);
    expect(Array.from(a!)).toEqual([expect.closeTo(1.05, 6), expect.closeTo(2.05, 6)]);
    expect(Array.from(b!)).toEqual([expect.closeTo(0.95, 6), expect.closeTo(2.05, 6), expect.closeTo(3.05, 6), expect.closeTo(4.05, 6)]);
  });

  it('f = 1, 7 clients: Krum keeps 5 honest clients, then averages the 3 values closest to their median per coordinate', () => {
    // Krum rounds (n' − f − 2 neighbours, squared distances): selects 3 (score 10.6125), 2 (9.7125), 1 (10.425),
    // then 4 over 5 and 0 over 5 on ties (lower index). Client 6 (the attacker) and 5 are left out.
    const rows = [[0, 0], [1, 0.35], [2, 0.1], [3, 0.2], [4, 0.9], [5, 0.5], [100, 50]];
    const { result, selected } = bulyanOf(values(...rows), [2], 1);
    expect(selected).toEqual([3, 2, 1, 4, 0]);
    // coordinate 0: {0,1,2,3,4}, median 2, closest 3: 2, 1, 3 → 2
    // coordinate 1: {0, 0.35, 0.1, 0.2, 0.9}, median 0.2, closest 3: 0.2, 0.1, 0.35 → 0.216667 (the mean would be 7.29)
    expect(result[0]![0]).toBeCloseTo(2, 6);
    expect(result[0]![1]).toBeCloseTo(0.65 / 3, 6);
  });

  it('throws ValueError with fewer than 4f + 3 clients, as Flower', async () => {
    const agg = bulyan({ f: 1 }).create(new StructSpec([new TensorSpec([1])]));
    await expect(agg.next(agg.initialize(), values([0], [1], [2], [3], [4], [5]))).rejects.toThrow(/at least 4f \+ 3 = 7 clients/);
    expect(() => bulyan({ f: -1 })).toThrow(ValueError);
  });
});
