import * as tf from '@tensorflow/tfjs';
import { SGD_UPDATE_KERNEL, type Batch, type BatchOutput, type Model } from '@fedkit/core';

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
   * One step of this optimizer over `batch` taken by the model itself in a
   * fused kernel (`Model.sgdStep`, e.g. a Dense stack on fedkit's wasm
   * runtime: one kernel instead of the tape's hundred), with this optimizer's
   * learning rate; undefined, having done nothing, where the model cannot,
   * and the caller then runs `minimize`. The weights are the same either way.
   *
   * @example
   * ```ts
   * const out = optimizer.modelStep(model, batch);
   * if (out === undefined) optimizer.minimize(() => model.forwardPass(batch, true).loss);
   * ```
   */
  modelStep(model: Model, batch: Batch): BatchOutput | undefined {
    const out = model.sgdStep?.(batch, this.learningRate);
    if (out !== undefined) this.incrementIterations();
    return out;
  }

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
