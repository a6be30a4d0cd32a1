import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { specOf } from './spec-of.js';
import { TensorSpec } from './tensor-spec.js';
import { toSpec } from './to-spec.js';

describe('toSpec', () => {
  it('turns records into named structs and arrays into unnamed ones', () => {
    const spec = toSpec({ x: [new TensorSpec([null, 2]), new TensorSpec([null, 1])], y: new TensorSpec([null], 'int32') });
    expect(spec.toString()).toBe('<x=<float32[?,2],float32[?,1]>,y=int32[?]>');
  });

  it('throws a TypeError naming the path when a leaf is a tensor', () => {
    const t = tf.zeros([1]);
    expect(() => toSpec({ x: new TensorSpec([1]), y: t as never })).toThrow(TypeError);
    expect(() => toSpec({ x: new TensorSpec([1]), y: t as never })).toThrow(/at "y"/);
    t.dispose();
  });
});

describe('specOf', () => {
  it('keeps the batch dimension of the tensors it describes', () => {
    const x = tf.zeros([2, 3]);
    const y = tf.zeros([2, 1], 'int32');
    expect(specOf({ x, y }).toString()).toBe('<x=float32[2,3],y=int32[2,1]>');
    tf.dispose([x, y]);
  });

  it('throws a TypeError for a value that holds no tensor', () => {
    expect(() => specOf(3 as never)).toThrow(TypeError);
  });
});
