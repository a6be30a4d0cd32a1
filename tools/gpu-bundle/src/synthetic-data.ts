/**
 * Seeded synthetic examples, made in plain JS so that every backend trains on
 * bit-identical data (tf.random* kernels may differ between backends).
 */

/** One client's examples: `x` row-major [n, ...xShape] in [0, 1), `y` class labels in [0, numClasses). */
export interface SyntheticExamples {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly n: number;
  readonly xShape: readonly number[];
}

/**
 * mulberry32: a 32-bit seeded generator, enough for test data.
 * @example
 * ```ts
 * const next = mulberry32(1); next(); // a number in [0, 1)
 * ```
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` examples of shape `xShape` with labels in [0, numClasses), from `seed`.
 * @example
 * ```ts
 * const { x, y } = syntheticExamples(20, [784], 10, 7); // x.length 15680, y.length 20
 * ```
 */
export function syntheticExamples(n: number, xShape: readonly number[], numClasses: number, seed: number): SyntheticExamples {
  const next = mulberry32(seed);
  const size = xShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * size);
  for (let i = 0; i < x.length; i++) x[i] = next();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.floor(next() * numClasses);
  return { x, y, n, xShape };
}

/**
 * Seeded float32 values in [lo, hi), e.g. predictions or targets for a loss check.
 * @example
 * ```ts
 * const p = uniformValues(40, 0.05, 0.95, 3);
 * ```
 */
export function uniformValues(count: number, lo: number, hi: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = lo + (hi - lo) * next();
  return out;
}
