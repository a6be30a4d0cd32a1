import type { Rng } from './seeded-rng.js';

// Sampling follows Marsaglia & Tsang (2000), "A simple method for generating gamma
// variables", with the boost Gamma(a) = Gamma(a + 1) * U^(1/a) for a < 1. Everything
// stays in log space so that tiny concentrations (alpha = 0.01) cannot underflow to
// an all-zero draw.

function standardNormal(rng: Rng): number {
  const u1 = 1 - rng(); // (0, 1], so the log is finite
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

function logGamma(alpha: number, rng: Rng): number {
  if (alpha < 1) return logGamma(alpha + 1, rng) + Math.log(1 - rng()) / alpha;
  const d = alpha - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(rng);
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return Math.log(d * v);
  }
}

/**
 * One draw from a symmetric Dirichlet distribution Dir(alpha, ..., alpha) over
 * `k` categories: `k` non-negative proportions summing to 1.
 */
export function sampleDirichlet(alpha: number, k: number, rng: Rng): Float64Array {
  const logs = new Float64Array(k);
  let max = -Infinity;
  for (let i = 0; i < k; i++) {
    logs[i] = logGamma(alpha, rng);
    if (logs[i]! > max) max = logs[i]!;
  }
  let sum = 0;
  for (let i = 0; i < k; i++) {
    logs[i] = Math.exp(logs[i]! - max);
    sum += logs[i]!;
  }
  for (let i = 0; i < k; i++) logs[i] = logs[i]! / sum;
  return logs;
}
