import { describe, expect, it } from 'vitest';

import { sampleDirichlet } from './dirichlet.js';
import { createRng } from './seeded-rng.js';

describe('sampleDirichlet', () => {
  it('draws non-negative proportions that sum to 1', () => {
    const rng = createRng(1);
    for (const alpha of [0.01, 0.5, 1, 50]) {
      const p = sampleDirichlet(alpha, 7, rng);
      expect(p.every((v) => v >= 0)).toBe(true);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('has mean 1/k for every component', () => {
    // E[p_i] = alpha / (k * alpha) = 1/4; over 4,000 draws of Dir(2) the sd of the mean is
    // sqrt(0.25 * 0.75 / 9) / sqrt(4000) = 0.0023, so 0.02 is a wide margin.
    const rng = createRng(2);
    const mean = new Float64Array(4);
    for (let t = 0; t < 4000; t++) sampleDirichlet(2, 4, rng).forEach((v, i) => (mean[i]! += v / 4000));
    for (const m of mean) expect(Math.abs(m - 0.25)).toBeLessThan(0.02);
  });

  it('concentrates on one component for a tiny alpha and spreads for a large one', () => {
    const rng = createRng(3);
    const meanMax = (alpha: number) => {
      let sum = 0;
      for (let t = 0; t < 200; t++) sum += Math.max(...sampleDirichlet(alpha, 10, rng));
      return sum / 200;
    };
    // Dir(0.01): log-gammas spread over a scale of 1/alpha = 100, so the top share is usually near 1
    // (the gap between the two largest is Exp(9) * 100, below ln 9 only 18% of the time).
    // Dir(1) gives E[max] = H_10 / 10 = 0.29; Dir(1000) every share 0.1 +- 0.003.
    expect(meanMax(0.01)).toBeGreaterThan(0.75);
    expect(meanMax(1000)).toBeLessThan(0.12);
  });
});
