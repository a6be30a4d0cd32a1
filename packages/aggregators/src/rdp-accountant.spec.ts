import { describe, expect, it } from 'vitest';

import { computeRdp, DEFAULT_RDP_ORDERS, epsilonFromRdp, RdpAccountant } from './rdp-accountant.js';

// Reference values published in the test suites of Google's dp_accounting (rdp_privacy_accountant_test.py)
// and of Opacus (accountants_test.py).
describe('RDP accountant', () => {
  it('reproduces dp_accounting: subsampled Gaussian q = 0.01, sigma = 2.5, 50 steps', () => {
    const orders = [2.5, 5, 50, 100];
    const expected = [1.0854871e-3, 2.18075656e-3, 2.38460375e-2, 1.67416308e2];
    const rdp = computeRdp(0.01, 2.5, 50, orders);
    rdp.forEach((r, i) => expect(Math.abs(r - expected[i]!) / expected[i]!).toBeLessThan(1e-2));
  });

  it('agrees with direct numerical integration of A_alpha at a fractional order near 1', () => {
    // A_α = E_{z~N(0,σ²)}[((1-q) + q·exp((2z-1)/(2σ²)))^α], integrated on a fine grid;
    // dp_accounting's table lists 6.7058e-4 at α = 1.5, which this integral does not support.
    const q = 0.01;
    const sigma = 2.5;
    const alpha = 1.5;
    let a = 0;
    const h = 0.002;
    for (let z = -60; z < 60; z += h) {
      const pdf = Math.exp((-z * z) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
      a += pdf * Math.pow(1 - q + q * Math.exp((2 * z - 1) / (2 * sigma * sigma)), alpha) * h;
    }
    const integrated = (50 * Math.log(a)) / (alpha - 1);
    const [rdp] = computeRdp(q, sigma, 50, [alpha]);
    expect(Math.abs(rdp! - integrated) / integrated).toBeLessThan(1e-4);
  });

  it('reproduces dp_accounting: pure-DP curve (rdp 1.1 at orders 2..32) gives epsilon 1.32783806176 at order 32', () => {
    const orders = Array.from({ length: 31 }, (_, i) => i + 2);
    const { epsilon, order } = epsilonFromRdp(orders, orders.map(() => 1.1), 1e-5);
    expect(Math.abs(epsilon - 1.32783806176) / 1.32783806176).toBeLessThan(1e-2);
    expect(order).toBe(32);
  });

  it('reproduces dp_accounting: the Gaussian with sigma 4.530877117 is (1, 1e-6)-DP', () => {
    const orders = Array.from({ length: 99_000 }, (_, i) => 1 + 0.001 * i);
    const { epsilon } = epsilonFromRdp(orders, computeRdp(1, 4.530877117, 1, orders), 1e-6);
    expect(Math.abs(epsilon - 1)).toBeLessThan(1e-2);
  });

  it("reproduces Opacus: q = 0.04, sigma = 1.5, 2250 steps, delta 1e-5 gives epsilon 7.32911117143", () => {
    const acc = new RdpAccountant(DEFAULT_RDP_ORDERS);
    acc.compose(0.04, 1.5, 2250);
    expect(Math.abs(acc.getEpsilon(1e-5) - 7.32911117143) / 7.32911117143).toBeLessThan(1e-2);
  });

  it('composes additively: two calls of n steps equal one call of 2n', () => {
    const a = new RdpAccountant();
    a.compose(0.1, 1.1, 10);
    a.compose(0.1, 1.1, 10);
    const b = new RdpAccountant();
    b.compose(0.1, 1.1, 20);
    expect(a.getEpsilon(1e-5)).toBeCloseTo(b.getEpsilon(1e-5), 9);
  });

  it('spends nothing with sampling rate 0 and everything with no noise', () => {
    expect(computeRdp(0, 1, 10, [2, 3])).toEqual([0, 0]);
    const acc = new RdpAccountant([2, 3]);
    acc.compose(0.5, 0, 1);
    expect(acc.getEpsilon(1e-5)).toBe(Infinity);
  });
});
