import * as tf from '@tensorflow/tfjs';
import { SGD_UPDATE_KERNEL } from '@fedkit/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createOptimizer } from './create-optimizer.js';
import { FusedSgdOptimizer } from './fused-sgd-optimizer.js';

/** Two variables, one step of learning rate 0.5 with gradients [1, 2] and [-4]: w − 0.5 · g by hand. */
function oneStep(optimizer: tf.Optimizer): number[][] {
  const initial = [tf.tensor1d([3, 5]), tf.tensor1d([1])];
  const a = tf.variable(initial[0]!, true, 'fused-sgd-a');
  const b = tf.variable(initial[1]!, true, 'fused-sgd-b');
  const gradients = { 'fused-sgd-a': tf.tensor1d([1, 2]), 'fused-sgd-b': tf.tensor1d([-4]) };
  try {
    optimizer.applyGradients(gradients);
    return [Array.from(a.dataSync()), Array.from(b.dataSync())];
  } finally {
    tf.dispose([a, b, ...initial, ...Object.values(gradients)]);
  }
}

describe('FusedSgdOptimizer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterEach(() => {
    if (tf.getKernel(SGD_UPDATE_KERNEL, 'cpu') !== undefined) tf.unregisterKernel(SGD_UPDATE_KERNEL, 'cpu');
  });

  it('is what createOptimizer returns for sgd, and steps w − lr · g without the fused kernel (3 − 0.5 = 2.5, 5 − 1 = 4, 1 + 2 = 3)', () => {
    const optimizer = createOptimizer({ name: 'sgd', learningRate: 0.5 });

    const weights = oneStep(optimizer);

    expect(optimizer).toBeInstanceOf(FusedSgdOptimizer);
    expect(optimizer).toBeInstanceOf(tf.SGDOptimizer);
    expect(weights).toEqual([[2.5, 4], [3]]);
    optimizer.dispose();
  });

  it("runs the backend's fused kernel with c = −learning rate when one is registered, and keeps its result", () => {
    const calls: { c: number; value: number[]; gradient: number[] }[] = [];
    tf.registerKernel({
      kernelName: SGD_UPDATE_KERNEL,
      backendName: 'cpu',
      kernelFunc: ({ inputs, attrs, backend }) => {
        const cpu = backend as tf.KernelBackend & { readSync(id: object): Float32Array; makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo };
        const { value, gradient } = inputs as { value: tf.TensorInfo; gradient: tf.TensorInfo };
        const v = cpu.readSync(value.dataId);
        const g = cpu.readSync(gradient.dataId);
        const c = (attrs as { c: number }).c;
        calls.push({ c, value: Array.from(v), gradient: Array.from(g) });
        // A marker result (not the SGD step) shows the optimizer keeps what the kernel returns.
        return cpu.makeTensorInfo(value.shape, 'float32', v.map((x, i) => 100 * x + g[i]!));
      },
    });
    const optimizer = new FusedSgdOptimizer(0.5);
    const before = tf.memory().numTensors;

    const weights = oneStep(optimizer);

    expect(calls).toEqual([
      { c: -0.5, value: [3, 5], gradient: [1, 2] },
      { c: -0.5, value: [1], gradient: [-4] },
    ]);
    expect(weights).toEqual([[301, 502], [96]]);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
  });

  it('gives tf.train.sgd the same bits over 3 steps of a small regression', () => {
    const run = (optimizer: tf.Optimizer): Float32Array => {
      const w = tf.variable(tf.tensor2d([0.3, -0.7, 1.1, 0.05], [4, 1]));
      const x = tf.tensor2d([0.1, 0.2, 0.3, 0.4, -1, 0.5, 0.25, 2], [2, 4]);
      const y = tf.tensor2d([1, -1], [2, 1]);
      for (let i = 0; i < 3; i++) optimizer.minimize(() => tf.losses.meanSquaredError(y, x.matMul(w)) as tf.Scalar);
      const out = w.dataSync() as Float32Array;
      tf.dispose([w, x, y]);
      optimizer.dispose();
      return out;
    };

    expect(run(new FusedSgdOptimizer(0.1))).toEqual(run(tf.train.sgd(0.1)));
  });
});
