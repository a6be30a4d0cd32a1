/**
 * The name of the fused training-step kernel for a stack of Dense layers: one
 * SGD step of sparse softmax crossentropy (mean over the batch) in a single
 * kernel call, where tfjs's gradient tape runs about a hundred kernels.
 *
 * Inputs: `x` (float32 `[batch, ...]`, read as `[batch, inputUnits]`), `y`
 * (int32 class ids, `[batch]` or `[batch, 1]`), then `w0`, `w1`, ... the
 * layers' weights in Keras order (each layer's kernel `[in, out]`, then its
 * bias `[out]` where it has one). Attributes: {@link DenseSgdStepAttrs}.
 * Outputs: the softmax of the last layer's output `[batch, classes]` (the
 * model's predictions), the mean loss (a scalar), then the updated weights in
 * input order (`w − learningRate · gradient`).
 *
 * A runtime may register it for its backend (the wasm runtime does); a model
 * whose layers fit (`@fedkit/keras-adapter`'s Dense stacks) uses it for plain
 * SGD steps where the active backend has it, and the gradient tape elsewhere.
 * A registered kernel must compute what the tape computes, op for op, so that
 * the weights are the same as those of tfjs's `optimizer.minimize`.
 */
export const DENSE_SGD_STEP_KERNEL = 'FedkitDenseSgdStep';

/** The attributes of {@link DENSE_SGD_STEP_KERNEL}. */
export interface DenseSgdStepAttrs {
  /**
   * Per layer, its activation: `'relu'` or `'linear'` for the hidden layers;
   * `'linear'` for the last, whose output are the logits of the softmax.
   */
  readonly activations: readonly ('relu' | 'linear')[];
  /** Per layer, whether it has a bias (its weights are then the kernel and the bias). */
  readonly useBias: readonly boolean[];
  /** The SGD learning rate (positive). */
  readonly learningRate: number;
}
