import * as tf from '@tensorflow/tfjs';
import { SGD_UPDATE_KERNEL } from '@fedkit/core';

/**
 * tfjs's SGD (`tf.train.sgd`, Keras's `SGD` without momentum) whose step runs
 * the fused kernel `SGD_UPDATE_KERNEL` (`value + c · gradient`, c = −learning
 * rate) where the active backend registers it, e.g. fedkit's wasm runtime: one
 * pass over each weight array instead of a Multiply and an Add that each make
 * a weight-sized tensor. The kernel rounds like those two ops, so the weights
 * are the same bits; on any other backend this is tfjs's SGD unchanged.
 *
 * Porting note: Keras and tfjs compute the same step with two ops; the fusion
 * changes speed only.
 *
 * @example
 * ```ts
 * const optimizer = new FusedSgdOptimizer(0.1); // what createOptimizer({ name: 'sgd', learningRate: 0.1 }) returns
 * optimizer.minimize(() => model.forwardPass(batch, true).loss, false, model.trainableVariables);
 * ```
 */
export class FusedSgdOptimizer extends tf.SGDOptimizer {
  /**
   * One SGD step for each named gradient: `value ← value − learningRate · gradient`,
   * through `SGD_UPDATE_KERNEL` where the active backend has it (float32 values
   * and gradients of the same shape), else through tfjs's Multiply and Add.
   */
  override applyGradients(variableGradients: Parameters<tf.SGDOptimizer['applyGradients']>[0]): void {
    if (tf.getKernel(SGD_UPDATE_KERNEL, tf.getBackend()) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const named = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const c = -this.learningRate;
    for (const { name, tensor: gradient } of named) {
      if (gradient == null) continue;
      const value = tf.engine().registeredVariables[name]!;
      tf.tidy(() => {
        const fused = value.dtype === 'float32' && gradient.dtype === 'float32' && tf.util.arraysEqual(value.shape, gradient.shape);
        const next = fused
          ? (tf.engine().runKernel(SGD_UPDATE_KERNEL, { value, gradient }, { c }) as tf.Tensor)
          : tf.add(tf.mul(tf.scalar(c), gradient), value);
        value.assign(next);
      });
    }
    this.incrementIterations();
  }
}
