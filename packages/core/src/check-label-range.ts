import * as tf from '@tensorflow/tfjs';

import { LabelRangeError } from './errors.js';

/**
 * Backends whose tensors live in host memory: reading their values copies
 * memory and forces no device synchronisation, and needs no kernel.
 */
const HOST_BACKENDS: ReadonlySet<string> = new Set(['cpu', 'wasm']);

/**
 * Throws {@link LabelRangeError} when a class label of `labels` lies outside
 * `[0, numClasses)` (labels equal to `ignoreClass` pass): the per-batch check of
 * the sparse losses and metrics.
 *
 * It reads the labels with `dataSync()` only on the `cpu` and `wasm` backends,
 * where the values are already in host memory; it runs no tfjs kernel, so a
 * training step keeps its kernels. On a GPU backend (webgl, webgpu, tfjs-node)
 * reading them would stall the device every batch, so the check is skipped
 * there and the losses mark such examples NaN instead; validate labels where the
 * data is loaded (the simulator checks every task's labels at load).
 *
 * @param where the loss or metric name that starts the message.
 * @example
 * ```ts
 * checkLabelRange(tf.tensor1d([0, 12], 'int32'), 10, 'sparse_categorical_crossentropy');
 * // LabelRangeError: sparse_categorical_crossentropy: label 12 (at index 1 of the batch's labels) is outside [0, 10) ...
 * ```
 */
export function checkLabelRange(labels: tf.Tensor, numClasses: number, where: string, ignoreClass?: number): void {
  if (!HOST_BACKENDS.has(tf.getBackend())) return;
  const values = labels.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // Written so that NaN fails too.
    if ((v >= 0 && v < numClasses) || v === ignoreClass) continue;
    throw new LabelRangeError(
      `${where}: label ${v} (at index ${i} of the batch's labels) is outside [0, ${numClasses}): the predictions have ${numClasses} classes. ` +
        `Class labels must be integers from 0 to ${numClasses - 1}: fix the data's labels, or give the model one output per class.`,
      v,
      i,
      numClasses,
    );
  }
}
