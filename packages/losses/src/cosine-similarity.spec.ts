import * as tf from '@tensorflow/tfjs';
import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { CosineSimilarity } from './cosine-similarity.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('CosineSimilarity', () => {
  it('is the negative cosine similarity along the last axis', () => {
    // [1,0]·[2,0] -> -1; [1,0]·[0,3] -> 0; [1,1]·[1,0] -> -1/sqrt 2 = -0.70710678
    // mean (-1 + 0 - 0.70710678) / 3 = -0.56903559
    const loss = new CosineSimilarity().call(
      tf.tensor2d([[1, 0], [1, 0], [1, 1]]),
      tf.tensor2d([[2, 0], [0, 3], [1, 0]]),
    );
    expect(read(loss)).toBeCloseTo(-0.56903559, 6);
  });

  it('is 0 for a zero vector rather than NaN', () => {
    expect(read(new CosineSimilarity().call(tf.tensor2d([[0, 0]]), tf.tensor2d([[1, 2]])))).toBeCloseTo(0, 6);
  });

  it('uses the given axis', () => {
    // axis 0 of [2, 1]: [1, 0]·[2, 0] -> -1
    const loss = new CosineSimilarity({ axis: 0 }).call(tf.tensor2d([[1], [0]]), tf.tensor2d([[2], [0]]));
    expect(read(loss)).toBeCloseTo(-1, 6);
  });

  it('weights examples and accepts int32 labels', () => {
    // weights 1, 1, 2: (-1 + 0 - 1.41421356) / 3 = -0.80473785
    const loss = new CosineSimilarity().call(
      tf.tensor2d([[1, 0], [1, 0], [1, 1]], [3, 2], 'int32'),
      tf.tensor2d([[2, 0], [0, 3], [1, 0]]),
      tf.tensor1d([1, 1, 2]),
    );
    expect(read(loss)).toBeCloseTo(-0.80473785, 6);
  });

  it('throws a ValueError for a non-integer axis', () => {
    expect(() => new CosineSimilarity({ axis: 0.5 })).toThrow(ValueError);
  });

  it('is named cosine_similarity', () => {
    expect(new CosineSimilarity().name).toBe('cosine_similarity');
  });
});
