import { describe, expect, it } from 'vitest';

import { StructSpec } from './struct-spec.js';
import { TensorSpec } from './tensor-spec.js';

describe('StructSpec', () => {
  it('prints named elements in order', () => {
    const spec = new StructSpec({ x: new TensorSpec([null, 784]), y: new TensorSpec([null, 1], 'int32') });
    expect(spec.toString()).toBe('<x=float32[?,784],y=int32[?,1]>');
  });

  it('prints unnamed elements without names', () => {
    expect(new StructSpec([new TensorSpec([]), new TensorSpec([], 'int32')]).toString()).toBe('<float32,int32>');
  });

  it('prints nested structs', () => {
    const spec = new StructSpec({
      x: new StructSpec({ a: new TensorSpec([null, 1]), b: new TensorSpec([null, 2]) }),
      y: new StructSpec([new TensorSpec([null, 3]), new TensorSpec([null], 'int32')]),
    });
    expect(spec.toString()).toBe('<x=<a=float32[?,1],b=float32[?,2]>,y=<float32[?,3],int32[?]>>');
  });

  it('mixes named and unnamed elements with fromEntries', () => {
    const spec = StructSpec.fromEntries([
      ['a', new TensorSpec([])],
      [undefined, new TensorSpec([2], 'bool')],
    ]);
    expect(spec.toString()).toBe('<a=float32,bool[2]>');
  });

  it('looks elements up by name and by index', () => {
    const x = new TensorSpec([null, 2]);
    const spec = new StructSpec({ x });
    expect(spec.get('x')).toBe(x);
    expect(spec.get(0)).toBe(x);
    expect(spec.get('y')).toBeUndefined();
  });
});
