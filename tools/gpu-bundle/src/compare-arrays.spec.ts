import { describe, expect, it } from 'vitest';

import { compareArrays } from './compare-arrays.js';

describe('compareArrays', () => {
  it('measures the error relative to the reference array scale', () => {
    // diffs 0 and 0.0004; the reference's largest magnitude is 4 -> 0.0004 / 4 = 1e-4
    const out = compareArrays([new Float32Array([1, -4.0004])], [new Float32Array([1, -4])], 2e-4);
    expect(out.maxRelativeError).toBeCloseTo(1e-4, 6);
    expect(out.pass).toBe(true);
  });

  it('takes the worst array and fails above the tolerance', () => {
    // array 0: 0.001 / 1 = 1e-3; array 1: 0 -> worst 1e-3 > 1e-4
    const out = compareArrays([[1.001], [5]], [[1], [5]]);
    expect(out.maxRelativeError).toBeCloseTo(1e-3, 6);
    expect(out.pass).toBe(false);
  });

  it('fails on NaN', () => {
    expect(compareArrays([[Number.NaN]], [[1]]).pass).toBe(false);
  });

  it('throws when the arrays do not pair up', () => {
    expect(() => compareArrays([[1]], [[1], [2]])).toThrow(RangeError);
    expect(() => compareArrays([[1, 2]], [[1]])).toThrow(/array 0 has 2 values, the reference 1/);
  });
});
