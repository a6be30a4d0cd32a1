/**
 * Rényi-DP accountant for the Poisson-subsampled Gaussian mechanism.
 * Mironov 2017, "Rényi Differential Privacy" (CSF); Mironov, Talwar, Zhang 2019, "Rényi Differential
 * Privacy of the Sampled Gaussian Mechanism" (arXiv:1908.10530) for log A_α; the RDP → (ε, δ) conversion
 * of Balle et al. 2020, "Hypothesis Testing Interpretations and Rényi Differential Privacy" (AISTATS),
 * as used by TF Privacy / dp_accounting and Opacus.
 *
 * Porting note: no maintained accountant exists on npm, so the published formulas are implemented
 * here and checked against reference values printed by dp_accounting and Opacus (see the spec).
 */
import { ValueError } from '@fedkit/core';

/** Opacus's default orders: 1.1 … 10.9 in steps of 0.1, then 12 … 63. */
export const DEFAULT_RDP_ORDERS: readonly number[] = [
  ...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10),
  ...Array.from({ length: 52 }, (_, i) => 12 + i),
];

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

function logSub(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (a <= b) return -Infinity;
  return a + Math.log1p(-Math.exp(b - a));
}

/**
 * log(erfc(x)) to near double precision without underflow: a Taylor series of
 * erf for |x| < 2 and Lentz's continued fraction for the tail. (A 1e-7 fit is
 * not enough: log A_α near order 1 is a difference of terms close to 1.)
 */
export function logErfc(x: number): number {
  if (x >= 2) {
    // erfc(x) = exp(-x²)/√π · 1 / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
    const tiny = 1e-300;
    let f = x;
    let c = x;
    let d = 0;
    for (let n = 1; n < 500; n++) {
      const a = n / 2;
      d = x + a * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = x + a / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      const delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    return -x * x - 0.5 * Math.log(Math.PI) - Math.log(f);
  }
  if (x <= -2) return Math.log(2 - Math.exp(logErfc(-x)));
  // erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return Math.log1p(-(2 / Math.sqrt(Math.PI)) * sum);
}

function logBinomialInt(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** log A_α for an integer order α. */
function logAInt(q: number, sigma: number, alpha: number): number {
  let logA = -Infinity;
  for (let i = 0; i <= alpha; i++) {
    const coef = logBinomialInt(alpha, i) + i * Math.log(q) + (alpha - i) * Math.log(1 - q);
    logA = logAdd(logA, coef + (i * i - i) / (2 * sigma * sigma));
  }
  return logA;
}

/** log A_α for a fractional order α (series with erfc terms, stopped below e^-30). */
function logAFrac(q: number, sigma: number, alpha: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let coef = 1; // binom(alpha, i), built up term by term
  for (let i = 0; ; i++) {
    if (i > 0) coef *= (alpha - i + 1) / i;
    const logCoef = Math.log(Math.abs(coef));
    const j = alpha - i;
    const logT0 = logCoef + i * Math.log(q) + j * Math.log(1 - q);
    const logT1 = logCoef + j * Math.log(q) + i * Math.log(1 - q);
    const logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (coef > 0) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30 || i > 10_000) break;
  }
  return logAdd(logA0, logA1);
}

/**
 * RDP of `steps` compositions of the Poisson-subsampled Gaussian mechanism with
 * sampling rate `q` and noise multiplier `sigma`, at each order.
 */
export function computeRdp(q: number, sigma: number, steps: number, orders: readonly number[] = DEFAULT_RDP_ORDERS): number[] {
  if (!(q >= 0 && q <= 1)) throw new ValueError(`The sampling rate must be in [0, 1], found ${q}.`);
  if (!(sigma >= 0)) throw new ValueError(`The noise multiplier must be non-negative, found ${sigma}.`);
  return orders.map((alpha) => {
    if (q === 0) return 0;
    if (sigma === 0 || alpha === Infinity) return Infinity;
    if (q === 1) return (steps * alpha) / (2 * sigma * sigma);
    const logA = Number.isInteger(alpha) ? logAInt(q, sigma, alpha) : logAFrac(q, sigma, alpha);
    return (steps * logA) / (alpha - 1);
  });
}

/**
 * The smallest ε over the orders such that the RDP curve implies (ε, δ)-DP
 * (Balle et al. 2020's conversion, as dp_accounting and Opacus use).
 */
export function epsilonFromRdp(orders: readonly number[], rdp: readonly number[], delta: number): { epsilon: number; order: number } {
  if (!(delta > 0 && delta < 1)) throw new ValueError(`delta must be in (0, 1), found ${delta}.`);
  let best = { epsilon: Infinity, order: orders[0] ?? NaN };
  orders.forEach((alpha, i) => {
    const r = rdp[i]!;
    let eps: number;
    if (delta * delta + Math.expm1(-r) > 0) eps = 0;
    else if (alpha > 1.01) eps = r + Math.log1p(-1 / alpha) - Math.log(delta * alpha) / (alpha - 1);
    else eps = Infinity;
    if (eps < best.epsilon) best = { epsilon: eps, order: alpha };
  });
  return { epsilon: Math.max(0, best.epsilon), order: best.order };
}

/**
 * Accumulates the privacy cost of DP-FedAvg rounds: each round is one
 * Poisson-subsampled Gaussian mechanism with the round's sampling rate.
 * @example
 * ```ts
 * const acc = new RdpAccountant();
 * acc.compose(0.04, 1.5, 2250);
 * acc.getEpsilon(1e-5); // ≈ 7.33 (Opacus's reference value)
 * ```
 */
export class RdpAccountant {
  private readonly rdp: number[];

  constructor(readonly orders: readonly number[] = DEFAULT_RDP_ORDERS) {
    this.rdp = orders.map(() => 0);
  }

  /** Adds `steps` rounds with sampling rate `q` and noise multiplier `sigma`. */
  compose(q: number, sigma: number, steps = 1): void {
    computeRdp(q, sigma, steps, this.orders).forEach((r, i) => (this.rdp[i]! += r));
  }

  /** ε spent so far for the given δ. */
  getEpsilon(delta: number): number {
    return epsilonFromRdp(this.orders, this.rdp, delta).epsilon;
  }

  /** The accumulated RDP per order (for checkpoints). */
  get state(): number[] {
    return [...this.rdp];
  }

  /** Restores accumulated RDP from {@link RdpAccountant.state}. */
  restore(rdp: readonly number[]): void {
    if (rdp.length !== this.rdp.length) throw new ValueError(`Expected ${this.rdp.length} RDP values, found ${rdp.length}.`);
    rdp.forEach((r, i) => (this.rdp[i] = r));
  }
}
