/** How far a backend's numbers are from the reference backend's. */
export interface Comparison {
  /** The worst, over arrays, of max|a − b| / max|b|: the error relative to each array's scale. */
  readonly maxRelativeError: number;
  /** Whether `maxRelativeError` is within the tolerance. */
  readonly pass: boolean;
}

/** The tolerance the issue asks of GPU float32 against the JS cpu backend. */
export const RELATIVE_TOLERANCE = 1e-4;

/**
 * Compares arrays element-wise, relative to each reference array's largest magnitude (an element-wise relative
 * error would blow up on weights that are near zero). Arrays must pair up one to one with equal lengths.
 *
 * @throws RangeError when the array counts or lengths differ: the two runs computed different things.
 * @example
 * ```ts
 * compareArrays([new Float32Array([1, 2])], [new Float32Array([1, 2.0001])]); // { maxRelativeError: 5e-5, pass: true }
 * ```
 */
export function compareArrays(actual: readonly ArrayLike<number>[], reference: readonly ArrayLike<number>[], tolerance = RELATIVE_TOLERANCE): Comparison {
  if (actual.length !== reference.length) {
    throw new RangeError(`compareArrays expects as many arrays as the reference (${reference.length}), found ${actual.length}.`);
  }
  let worst = 0;
  actual.forEach((a, i) => {
    const b = reference[i]!;
    if (a.length !== b.length) {
      throw new RangeError(`compareArrays: array ${i} has ${a.length} values, the reference ${b.length}; they must be equal.`);
    }
    let scale = 0;
    let diff = 0;
    for (let j = 0; j < b.length; j++) {
      scale = Math.max(scale, Math.abs(b[j]!));
      diff = Math.max(diff, Math.abs(a[j]! - b[j]!));
    }
    // NaN must fail, so it is carried through rather than lost by Math.max.
    const rel = Number.isNaN(diff) ? Number.NaN : diff / Math.max(scale, 1e-12);
    worst = Number.isNaN(rel) || Number.isNaN(worst) ? Number.NaN : Math.max(worst, rel);
  });
  return { maxRelativeError: worst, pass: !Number.isNaN(worst) && worst <= tolerance };
}
