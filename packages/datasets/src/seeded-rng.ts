import seedrandom from 'seedrandom';

/** The seed used when none is given (Flower's partitioners default to 42 as well). */
export const DEFAULT_SEED = 42;

/** A seeded source of doubles in [0, 1). */
export type Rng = () => number;

/**
 * A seeded random number generator (seedrandom's ARC4 generator). The same seed
 * gives the same sequence on every machine and JS engine.
 *
 * @example
 * ```ts
 * const rng = createRng(7);
 * rng(); // same value on every run
 * ```
 */
export function createRng(seed: number | string = DEFAULT_SEED): Rng {
  return seedrandom(String(seed));
}

/** Shuffles `values` in place (Fisher-Yates) and returns it. */
export function shuffleInPlace<T>(values: T[], rng: Rng): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  return values;
}

/** A random permutation of `0 .. n-1`. */
export function permutation(n: number, rng: Rng): number[] {
  return shuffleInPlace(
    Array.from({ length: n }, (_, i) => i),
    rng,
  );
}
