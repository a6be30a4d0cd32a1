import * as tf from '@tensorflow/tfjs';
import { SGD_UPDATE_KERNEL } from '@fedkit/core';
import { FusedSgdOptimizer } from '@fedkit/learning';
import { beforeAll, describe, expect, it } from 'vitest';

import { liveCounts, seededValues } from './testing/fixtures.js';
import { trainTwoNnSteps } from './testing/train-steps.js';
import { activateWasm } from './wasm-runtime.js';

const bits = (values: Float32Array): Uint32Array => new Uint32Array(values.buffer, values.byteOffset, values.length);

describe('the fused SGD step on wasm', () => {
  beforeAll(async () => {
    await activateWasm();
  });

  it.each([1, 3, 4, 7, 200, 784 * 200])("gives tfjs's w + (−lr · g) to the bit, %i values", (n) => {
    const before = liveCounts();
    const [w, g, c] = [tf.tensor1d(seededValues(n, 1)), tf.tensor1d(seededValues(n, 2)), -0.1];

    const fused = tf.engine().runKernel(SGD_UPDATE_KERNEL, { value: w, gradient: g }, { c }) as tf.Tensor;
    const twoOps = tf.tidy(() => tf.add(tf.mul(tf.scalar(c), g), w));

    expect(bits(fused.dataSync() as Float32Array)).toEqual(bits(twoOps.dataSync() as Float32Array));
    tf.dispose([w, g, fused, twoOps]);
    expect(liveCounts()).toEqual(before);
  });

  it('rejects a gradient of another shape, naming both', () => {
    const [w, g] = [tf.zeros([2, 3]), tf.zeros([3, 2])];

    const run = (): unknown => tf.engine().runKernel(SGD_UPDATE_KERNEL, { value: w, gradient: g }, { c: -0.1 });

    expect(run).toThrow(/same shape, found float32 \[2,3\] and float32 \[3,2\]/);
    tf.dispose([w, g]);
  });

  it("trains the 2NN to tf.train.sgd's weights to the bit (B=10, 5 steps)", () => {
    const fused = trainTwoNnSteps(new FusedSgdOptimizer(0.1));
    const stock = trainTwoNnSteps(tf.train.sgd(0.1));

    expect(bits(fused)).toEqual(bits(stock));
  });

  it("is the kernel fedkit's sgd optimizer runs on wasm: one per variable, no Multiply or Add", async () => {
    const v = tf.variable(tf.zeros([4, 3]), true, 'sgd-update-spec-v');
    const g = tf.ones([4, 3]);
    const optimizer = new FusedSgdOptimizer(0.5);

    const { kernels } = await tf.profile(() => optimizer.applyGradients({ 'sgd-update-spec-v': g }));

    expect(kernels.map((k) => k.name)).toEqual([SGD_UPDATE_KERNEL]);
    expect(Array.from(v.dataSync())).toEqual(Array.from({ length: 12 }, () => -0.5));
    tf.dispose([v, g]);
    optimizer.dispose();
  });
});
