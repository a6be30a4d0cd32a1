import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { checkLabelRange } from './check-label-range.js';
import { LabelRangeError, ValueError } from './errors.js';

describe('checkLabelRange', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await tf.setBackend('cpu');
  });

  it('throws a LabelRangeError naming the label, its index, the valid range and the fix', () => {
    const labels = tf.tensor1d([0, 9, 12, 3], 'int32');
    let error: unknown;
    try {
      checkLabelRange(labels, 10, 'sparse_categorical_crossentropy');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LabelRangeError);
    expect(error).toBeInstanceOf(ValueError);
    expect(error).toMatchObject({ label: 12, index: 2, numClasses: 10, name: 'LabelRangeError' });
    expect((error as Error).message).toBe(
      "sparse_categorical_crossentropy: label 12 (at index 2 of the batch's labels) is outside [0, 10): the predictions have 10 classes. " +
        "Class labels must be integers from 0 to 9: fix the data's labels, or give the model one output per class.",
    );
    labels.dispose();
  });

  it('refuses negative and NaN labels, and float labels at or above numClasses', () => {
    tf.tidy(() => {
      expect(() => checkLabelRange(tf.tensor1d([-1], 'int32'), 3, 'm')).toThrow(/label -1 .* outside \[0, 3\)/);
      expect(() => checkLabelRange(tf.tensor1d([NaN]), 3, 'm')).toThrow(/label NaN/);
      expect(() => checkLabelRange(tf.tensor1d([3]), 3, 'm')).toThrow(/label 3 /);
    });
  });

  it('accepts every label in [0, numClasses) and the ignored class', () => {
    tf.tidy(() => {
      expect(() => checkLabelRange(tf.tensor2d([[0, 1], [2, -1]], [2, 2], 'int32'), 3, 'm', -1)).not.toThrow();
    });
  });

  it('runs no tfjs kernel, so a training step keeps its kernels', async () => {
    const labels = tf.tensor1d([0, 1, 2], 'int32');
    const profile = await tf.profile(() => checkLabelRange(labels, 3, 'm'));
    expect(profile.kernelNames).toEqual([]);
    expect(profile.newTensors).toBe(0);
    labels.dispose();
  });

  it('does not read the labels on a device backend, where a read would stall the device every batch', async () => {
    // A backend under another name stands for webgl/webgpu: the check must leave its tensors alone.
    const Cpu = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
    tf.registerBackend('test-device', () => new Cpu(), 0);
    try {
      await tf.setBackend('test-device');
      const labels = tf.tensor1d([7], 'int32');
      const read = vi.spyOn(labels, 'dataSync');
      expect(() => checkLabelRange(labels, 3, 'm')).not.toThrow();
      expect(read).not.toHaveBeenCalled();
      labels.dispose();
    } finally {
      await tf.setBackend('cpu');
      tf.removeBackend('test-device');
    }
  });
});
