import * as tf from '@tensorflow/tfjs';
import { LabelRangeError, ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { SparseCategoricalCrossentropy, sparseCategoricalCrossentropy } from './sparse-categorical-crossentropy.js';
import { computeLoss as run } from './testing/compute.js';

function read(s: tf.Scalar): number {
  const v = s.dataSync()[0]!;
  s.dispose();
  return v;
}

describe('SparseCategoricalCrossentropy', () => {
  const probs = () => tf.tensor2d([[0.1, 0.8, 0.1], [0.5, 0.25, 0.25]]);
  // -ln 0.8 = 0.22314355; -ln 0.5 = 0.69314718; mean 0.45814537
  const EXPECTED = 0.45814537;

  it('accepts int32 labels of shape [n]', () => {
    expect(read(new SparseCategoricalCrossentropy().call(tf.tensor1d([1, 0], 'int32'), probs()))).toBeCloseTo(
      EXPECTED,
      6,
    );
  });

  it('accepts int32 labels of shape [n, 1]', () => {
    const labels = tf.tensor2d([[1], [0]], [2, 1], 'int32');
    expect(read(new SparseCategoricalCrossentropy().call(labels, probs()))).toBeCloseTo(EXPECTED, 6);
  });

  it('accepts whole-valued float labels', () => {
    expect(read(new SparseCategoricalCrossentropy().call(tf.tensor1d([1, 0]), probs()))).toBeCloseTo(EXPECTED, 6);
  });

  it('takes logits with fromLogits', () => {
    // softmax([0, ln 3]) = [0.25, 0.75], label 1 -> -ln 0.75 = 0.28768207
    // softmax([0, 0, 0]) = 1/3 each, label 2 -> ln 3 = 1.09861229
    const scce = new SparseCategoricalCrossentropy({ fromLogits: true });
    expect(read(scce.call(tf.tensor1d([1], 'int32'), tf.tensor2d([[0, Math.log(3)]])))).toBeCloseTo(0.28768207, 6);
    expect(read(scce.call(tf.tensor1d([2], 'int32'), tf.tensor2d([[0, 0, 0]])))).toBeCloseTo(1.09861229, 6);
  });

  it('handles sequence predictions [batch, time, vocab] with labels [batch, time]', () => {
    // positions: label 0 of [0.5, 0.5] -> ln 2 = 0.69314718; label 0 of [0.75, 0.25] -> 0.28768207
    // mean over batch * time = 2 elements: 0.49041463
    const loss = new SparseCategoricalCrossentropy().call(
      tf.tensor2d([[0, 0]], [1, 2], 'int32'),
      tf.tensor3d([[[0.5, 0.5], [0.75, 0.25]]]),
    );
    expect(read(loss)).toBeCloseTo(0.49041463, 6);
  });

  it('weighs every position of a sequence by a per-example weight', () => {
    // batch 2, time 2: example 1 positions ln 2 and -ln 0.75; example 2 positions -ln 0.25 and ln 2
    // weights [1, 0]: (0.69314718 + 0.28768207) / 4 = 0.24520731
    const loss = new SparseCategoricalCrossentropy().call(
      tf.tensor2d([[0, 0], [1, 0]], [2, 2], 'int32'),
      tf.tensor3d([[[0.5, 0.5], [0.75, 0.25]], [[0.75, 0.25], [0.5, 0.5]]]),
      tf.tensor1d([1, 0]),
    );
    expect(read(loss)).toBeCloseTo(0.24520731, 6);
  });

  it('weights examples, dividing by the batch size', () => {
    // weights [2, 0]: 0.22314355 * 2 / 2 = 0.22314355
    const loss = new SparseCategoricalCrossentropy().call(tf.tensor1d([1, 0], 'int32'), probs(), tf.tensor1d([2, 0]));
    expect(read(loss)).toBeCloseTo(0.22314355, 6);
  });

  it('throws a LabelRangeError naming a label outside [0, numClasses), the range and the fix (before: a NaN loss, training went on)', () => {
    const call = () => new SparseCategoricalCrossentropy().call(tf.tensor1d([0, 12], 'int32'), tf.fill([2, 10], 0.1));
    expect(call).toThrow(LabelRangeError);
    expect(call).toThrow(
      "sparse_categorical_crossentropy: label 12 (at index 1 of the batch's labels) is outside [0, 10): the predictions have 10 classes. " +
        "Class labels must be integers from 0 to 9: fix the data's labels, or give the model one output per class.",
    );
  });

  it('passes the ignored class even when it lies outside [0, numClasses)', () => {
    const loss = new SparseCategoricalCrossentropy({ ignoreClass: -1 }).call(tf.tensor1d([-1, 0], 'int32'), tf.fill([2, 3], 1 / 3));
    expect(read(loss)).toBeCloseTo(Math.log(3), 5);
  });

  it('on a device backend, where the labels are not read, gives NaN for a label outside [0, numClasses)', async () => {
    // A copy of the cpu backend under another name stands for webgl/webgpu.
    const Cpu = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
    const kernels = tf.getKernelsForBackend('cpu');
    tf.registerBackend('test-device', () => new Cpu(), 0);
    for (const k of kernels) tf.registerKernel({ ...k, backendName: 'test-device' });
    const previous = tf.getBackend();
    try {
      await tf.setBackend('test-device');
      const values = tf.tidy(() => Array.from(sparseCategoricalCrossentropy(tf.tensor1d([3, -1, 0], 'int32'), tf.fill([3, 3], 1 / 3)).dataSync()));
      expect(Number.isNaN(values[0])).toBe(true);
      expect(Number.isNaN(values[1])).toBe(true);
      expect(values[2]).toBeCloseTo(Math.log(3), 5);
    } finally {
      await tf.setBackend(previous);
      for (const k of kernels) tf.unregisterKernel(k.kernelName, 'test-device');
      tf.removeBackend('test-device');
    }
  });

  it('throws a ValueError when the labels do not match the predictions', () => {
    expect(() => new SparseCategoricalCrossentropy().call(tf.tensor1d([0, 1, 2], 'int32'), probs())).toThrow(
      ValueError,
    );
  });

  it('has the gradient softmax - onehot with respect to the logits', () => {
    // logits [0, 0] -> softmax [0.5, 0.5]; label 0 -> gradient [0.5 - 1, 0.5 - 0] = [-0.5, 0.5] (batch of 1)
    const scce = new SparseCategoricalCrossentropy({ fromLogits: true });
    const labels = tf.tensor1d([0], 'int32');
    const grad = tf.grad((logits: tf.Tensor) => scce.call(labels, logits))(tf.tensor2d([[0, 0]]));
    const values = Array.from(grad.dataSync());
    expect(values[0]).toBeCloseTo(-0.5, 6);
    expect(values[1]).toBeCloseTo(0.5, 6);
  });

  it('is named sparse_categorical_crossentropy', () => {
    expect(new SparseCategoricalCrossentropy().name).toBe('sparse_categorical_crossentropy');
  });
});

describe('SparseCategoricalCrossentropy ignoreClass and axis (Keras SparseCategoricalCrossentropyTest)', () => {
  const logits = [[[0.854, 0.698, 0.598], [0.088, 0.86, 0.018]]];

  it("test_ignore_class: labels [[-1, 2]] and [[[-1], [2]]] give [[0, 1.480129]] with reduction 'none'", () => {
    const loss = new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: 'none' });
    for (const labels of [[[-1, 2]], [[[-1], [2]]]]) {
      const values = run(loss, labels, logits, undefined, 'int32');
      expect(values[0]).toBeCloseTo(0, 6);
      expect(values[1]).toBeCloseTo(1.480129, 5);
    }
  });

  it('leaves ignored positions out of the sum_over_batch_size mean, as Keras masks them', () => {
    // One kept position of two: the mean is over the kept one only (Keras scales kept weights by total / kept).
    const loss = new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 });
    expect(run(loss, [[-1, 2]], logits, undefined, 'int32')[0]).toBeCloseTo(1.480129, 5);
    // 'sum' keeps the plain sum.
    expect(run(new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: 'sum' }), [[-1, 2]], logits, undefined, 'int32')[0]).toBeCloseTo(
      1.480129,
      5,
    );
  });

  it('test_binary_segmentation_different_axis: classes on axis 0 (the torch branch: 0; and -(ln 0.2 + ln 0.4) / 16)', () => {
    const y = [[0, 1, 1, 0], [1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 1]];
    const probs = (pixel: (r: number, c: number) => number[]) => [0, 1].map((k) => y.map((row, r) => row.map((_, c) => pixel(r, c)[k]!)));
    const exact = probs((r, c) => (y[r]![c] === 0 ? [1, 0] : [0, 1]));
    expect(run(new SparseCategoricalCrossentropy({ axis: 0 }), y, exact, undefined, 'int32')[0]).toBeCloseTo(0, 5);
    const soft = probs((r, c) => (r === 0 && c === 3 ? [0.2, 0.8] : r === 3 && c === 3 ? [0.6, 0.4] : y[r]![c] === 0 ? [1, 0] : [0, 1]));
    const expected = -(Math.log(0.2) + Math.log(0.4)) / 16;
    expect(run(new SparseCategoricalCrossentropy({ axis: 0 }), y, soft, undefined, 'int32')[0]).toBeCloseTo(expected, 5);
  });
});

