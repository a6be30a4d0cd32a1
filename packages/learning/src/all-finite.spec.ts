import { describe, expect, it } from 'vitest';

import { allFinite } from './all-finite.js';

describe('allFinite', () => {
  it('is true for finite values, signed zeros, the largest and smallest float32 values and empty arrays', () => {
    const extremes = Float32Array.of(-0, 0, 3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45);

    expect(allFinite([extremes, new Float32Array(0), Float32Array.of(1, 2, 3, 4, 5, 6, 7)])).toBe(true);
    expect(allFinite([])).toBe(true);
  });

  it('is false for NaN, Infinity or -Infinity at any position, the unrolled lanes and the remainder alike', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (let at = 0; at < 7; at++) {
        const a = new Float32Array(7);
        a[at] = bad;
        expect(allFinite([Float32Array.of(1), a]), `${bad} at ${at}`).toBe(false);
      }
    }
  });
});
