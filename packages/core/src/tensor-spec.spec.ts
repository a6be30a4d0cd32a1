import { describe, expect, it } from 'vitest';

import { TensorSpec } from './tensor-spec.js';

describe('TensorSpec', () => {
  it('prints unknown dimensions as ? in TFF notation', () => {
    expect(new TensorSpec([null, 784]).toString()).toBe('float32[?,784]');
  });

  it('prints a scalar as its dtype alone', () => {
    expect(new TensorSpec([], 'int32').toString()).toBe('int32');
  });

  it('defaults the dtype to float32', () => {
    expect(new TensorSpec([2, 3]).dtype).toBe('float32');
  });

  it('accepts any size for an unknown dimension and only the given size for a known one', () => {
    const spec = new TensorSpec([null, 3], 'float32');
    expect(spec.accepts([7, 3], 'float32')).toBe(true);
    expect(spec.accepts([7, 4], 'float32')).toBe(false);
    expect(spec.accepts([7, 3], 'int32')).toBe(false);
    expect(spec.accepts([7, 3, 1], 'float32')).toBe(false);
  });

  it('relaxes the batch dimension with withUnknownBatch', () => {
    expect(new TensorSpec([2, 3], 'int32').withUnknownBatch().toString()).toBe('int32[?,3]');
  });

  it('throws when a dimension is negative or fractional', () => {
    expect(() => new TensorSpec([-1])).toThrow(TypeError);
    expect(() => new TensorSpec([1.5])).toThrow(TypeError);
  });

  it('compares dtype and shape in equals', () => {
    expect(new TensorSpec([null, 2]).equals(new TensorSpec([null, 2]))).toBe(true);
    expect(new TensorSpec([null, 2]).equals(new TensorSpec([3, 2]))).toBe(false);
  });
});
