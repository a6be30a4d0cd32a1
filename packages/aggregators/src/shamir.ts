/**
 * Shamir secret sharing over the prime field GF(2³¹ − 1).
 * Shamir 1979, "How to Share a Secret" (CACM).
 */
import { ValueError } from '@fedkit/core';

/** The field's prime modulus, 2³¹ − 1. */
export const SHAMIR_PRIME = 2147483647n;

const mod = (a: bigint): bigint => ((a % SHAMIR_PRIME) + SHAMIR_PRIME) % SHAMIR_PRIME;

function inverse(a: bigint): bigint {
  // Fermat: a^(p-2) mod p.
  let result = 1n;
  let base = mod(a);
  let e = SHAMIR_PRIME - 2n;
  while (e > 0n) {
    if (e & 1n) result = (result * base) % SHAMIR_PRIME;
    base = (base * base) % SHAMIR_PRIME;
    e >>= 1n;
  }
  return result;
}

/** A share: the polynomial evaluated at `x` (holders are numbered from 1). */
export interface Share {
  readonly x: number;
  readonly y: bigint;
}

/**
 * Splits `secret` (an integer in [0, p)) into `n` shares, any `t` of which rebuild it.
 * `random` returns uniform integers in [0, p) for the polynomial's coefficients.
 */
export function shareSecret(secret: bigint, n: number, t: number, random: () => bigint): Share[] {
  if (!(t >= 1 && t <= n)) throw new ValueError(`The Shamir threshold must be in [1, ${n}], found ${t}.`);
  const coefficients = [mod(secret), ...Array.from({ length: t - 1 }, () => mod(random()))];
  return Array.from({ length: n }, (_, k) => {
    const x = BigInt(k + 1);
    let y = 0n;
    for (let c = coefficients.length - 1; c >= 0; c--) y = mod(y * x + coefficients[c]!);
    return { x: k + 1, y };
  });
}

/**
 * Rebuilds a secret from at least `t` shares by Lagrange interpolation at 0.
 * @throws ValueError when fewer than `t` shares are given.
 */
export function reconstructSecret(shares: readonly Share[], t: number): bigint {
  if (shares.length < t) {
    throw new ValueError(`Reconstruction needs at least ${t} shares (the threshold), found ${shares.length}.`);
  }
  const used = shares.slice(0, t);
  let secret = 0n;
  for (const [i, si] of used.entries()) {
    let num = 1n;
    let den = 1n;
    for (const [j, sj] of used.entries()) {
      if (i === j) continue;
      num = mod(num * BigInt(-sj.x));
      den = mod(den * BigInt(si.x - sj.x));
    }
    secret = mod(secret + si.y * num * inverse(den));
  }
  return secret;
}
