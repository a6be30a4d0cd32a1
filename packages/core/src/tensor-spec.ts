import type { DataType } from '@tensorflow/tfjs';

/**
 * The type of a tensor: dtype and shape, where `null` marks a dimension of
 * unknown size (TFF's `tff.TensorType`, Keras's `tf.TensorSpec`).
 *
 * @example
 * ```ts
 * new TensorSpec([null, 784]).toString(); // 'float32[?,784]'
 * new TensorSpec([], 'int32').toString(); // 'int32'
 * ```
 */
export class TensorSpec {
  readonly kind = 'tensor' as const;
  readonly shape: readonly (number | null)[];

  constructor(
    shape: readonly (number | null)[],
    readonly dtype: DataType = 'float32',
    readonly name?: string,
  ) {
    if (!Array.isArray(shape)) {
      throw new TypeError(`TensorSpec expects a shape array such as [null, 784], found ${String(shape)}.`);
    }
    for (const d of shape) {
      if (d !== null && !(Number.isInteger(d) && d >= 0)) {
        throw new TypeError(`TensorSpec dimensions must be non-negative integers or null (unknown), found ${String(d)}.`);
      }
    }
    this.shape = Object.freeze([...shape]);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True when dtype and every dimension (known or unknown) are the same. */
  equals(other: unknown): boolean {
    return (
      other instanceof TensorSpec &&
      other.dtype === this.dtype &&
      other.shape.length === this.shape.length &&
      other.shape.every((d, i) => d === this.shape[i])
    );
  }

  /** True when a tensor of `dtype` and `shape` fits: same dtype and rank, and equal known dimensions. */
  accepts(shape: readonly number[], dtype: DataType): boolean {
    return (
      dtype === this.dtype &&
      shape.length === this.shape.length &&
      this.shape.every((d, i) => d === null || d === shape[i])
    );
  }

  /** The same spec with the first dimension unknown (for specs derived from a sample batch). */
  withUnknownBatch(): TensorSpec {
    if (this.shape.length === 0) return this;
    return new TensorSpec([null, ...this.shape.slice(1)], this.dtype, this.name);
  }

  /** TFF notation: `float32[?,784]`, a scalar `float32`. */
  toString(): string {
    if (this.shape.length === 0) return this.dtype;
    return `${this.dtype}[${this.shape.map((d) => (d === null ? '?' : String(d))).join(',')}]`;
  }
}
