/** Helpers over a client value: one Float32Array per tensor. Sums run in float64 for determinism. */

/** The L2 norm of all arrays together. */
export function globalNorm(value: readonly Float32Array[]): number {
  let sum = 0;
  for (const a of value) for (let i = 0; i < a.length; i++) sum += a[i]! * a[i]!;
  return Math.sqrt(sum);
}

/** `value · factor`, as new arrays. */
export function scaled(value: readonly Float32Array[], factor: number): Float32Array[] {
  return value.map((a) => a.map((v) => v * factor));
}

/** Zeros shaped like `value`. */
export function zerosLike(value: readonly Float32Array[]): Float32Array[] {
  return value.map((a) => new Float32Array(a.length));
}

/** Squared L2 distance between two client values. */
export function squaredDistance(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let sum = 0;
  a.forEach((x, t) => {
    const y = b[t]!;
    for (let i = 0; i < x.length; i++) {
      const d = x[i]! - y[i]!;
      sum += d * d;
    }
  });
  return sum;
}

/** Unweighted mean of client values (zeros for no client), in float64 then rounded once. */
export function meanOf(values: readonly (readonly Float32Array[])[], sizes: readonly number[]): Float32Array[] {
  return sizes.map((n, t) => {
    const acc = new Float64Array(n);
    for (const v of values) {
      const a = v[t]!;
      for (let i = 0; i < n; i++) acc[i]! += a[i]!;
    }
    return Float32Array.from(acc, (s) => (values.length === 0 ? 0 : s / values.length));
  });
}
