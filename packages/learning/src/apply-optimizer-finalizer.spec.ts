import { StructSpec, TensorSpec } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { applyOptimizerFinalizer } from './apply-optimizer-finalizer.js';
import { sgd } from './server-optimizer.js';

const spec = new StructSpec({ trainable: new StructSpec([new TensorSpec([3])]), nonTrainable: new StructSpec([]) });
const weights = () => ({ trainable: [Float32Array.of(1, 2, 3)], nonTrainable: [], trainableShapes: [[3]], nonTrainableShapes: [] });

describe('applyOptimizerFinalizer', () => {
  it('steps the weights by the server optimizer: SGD 0.5 on w = [1, 2, 3], update [2, -2, 0] gives [0, 3, 3]', async () => {
    const finalizer = applyOptimizerFinalizer(sgd(0.5), spec);

    const out = await finalizer.next(finalizer.initialize(), weights(), [Float32Array.of(2, -2, 0)]);

    expect(Array.from(out.result.trainable[0]!)).toEqual([0, 3, 3]);
    expect(out.measurements).toEqual({ update_non_finite: 0 });
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('keeps the weights and counts the round when an update value is %d', async (bad) => {
    const finalizer = applyOptimizerFinalizer(sgd(0.5), spec);

    const out = await finalizer.next(finalizer.initialize(), weights(), [Float32Array.of(2, bad, 0)]);

    expect(Array.from(out.result.trainable[0]!)).toEqual([1, 2, 3]);
    expect(out.measurements).toEqual({ update_non_finite: 1 });
  });
});
