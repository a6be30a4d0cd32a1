import * as tf from '@tensorflow/tfjs';

/** Backends whose tensors live in CPU memory, so reading labels costs no device round trip. */
const HOST_MEMORY_BACKENDS = new Set(['cpu', 'wasm']);

/** Where each row's label entry lies in the flattened `[rows · numClasses]` logits, and which rows have a valid label. */
interface LabelPositions {
  /** int32 `[rows]`: `row · numClasses + label` (a bad label points at its row's first entry). */
  readonly flatIndex: tf.Tensor;
  /** bool `[rows]`, or undefined when every label is valid. */
  readonly valid: tf.Tensor | undefined;
  /** The float32 one-hot labels `[rows, numClasses]` the gradient subtracts: a tensor (saved with the forward pass), or made on demand from host arrays. */
  readonly oneHot: tf.Tensor | (() => tf.Tensor);
}

/**
 * Label positions computed from the label values on the host: the labels of a
 * host-memory backend are read without a device round trip, and the indices and
 * one-hot rows are then made from typed arrays, which runs no kernel.
 */
function hostPositions(ids: ArrayLike<number>, numClasses: number): LabelPositions {
  const rows = ids.length;
  const index = new Int32Array(rows);
  const hot = new Float32Array(rows * numClasses);
  const ok = new Uint8Array(rows);
  let allValid = true;
  for (let i = 0; i < rows; i++) {
    const id = ids[i]!;
    if (id >= 0 && id < numClasses) {
      index[i] = i * numClasses + id;
      hot[i * numClasses + id] = 1;
      ok[i] = 1;
    } else {
      index[i] = i * numClasses;
      allValid = false;
    }
  }
  return {
    flatIndex: tf.tensor1d(index, 'int32'),
    valid: allValid ? undefined : tf.tensor1d(ok, 'bool'),
    // Made only if a gradient is asked for, from the host array, so the forward pass neither makes nor saves it.
    oneHot: () => tf.tensor2d(hot, [rows, numClasses]),
  };
}

/** Label positions computed with kernels, for backends whose data a read would have to fetch from a device. */
function devicePositions(ids: tf.Tensor, numClasses: number): LabelPositions {
  const safe = tf.minimum(tf.maximum(ids, tf.scalar(0, 'int32')), tf.scalar(numClasses - 1, 'int32'));
  // tf.oneHot refuses a depth below 2; with one class every valid label is 0.
  const oneHot = numClasses >= 2 ? tf.cast(tf.oneHot(safe, numClasses), 'float32') : tf.ones([ids.size, 1]);
  return {
    flatIndex: tf.add(tf.mul(tf.range(0, ids.size, 1, 'int32'), tf.scalar(numClasses, 'int32')), safe),
    valid: tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, numClasses)),
    oneHot,
  };
}

/**
 * TensorFlow's `tf.nn.sparse_softmax_cross_entropy_with_logits` as one tfjs
 * operation: per row, `log(Σ exp(z − max z)) − (z − max z)[label]`, with the
 * gradient `softmax(z) − onehot(label)` written by hand. The forward maths is
 * tfjs's `logSoftmax` followed by picking the label's entry with one gather, so
 * the values equal `−logSoftmax(z)[label]` to the bit; the gradient is the
 * closed form instead of the chain rule through `logSoftmax` (equal up to
 * rounding). Its internals are not recorded on a gradient tape, so a training
 * step runs a handful of kernels for the loss instead of dozens.
 *
 * A label outside `[0, numClasses)` gives NaN for its row (as TensorFlow's GPU
 * kernels do).
 *
 * @param labels int32 class ids of shape `[...dims]`.
 * @param logits float32 scores of shape `[...dims, numClasses]`.
 * @returns the per-position losses, shape `[...dims]`.
 * @example
 * ```ts
 * sparseSoftmaxCrossEntropyWithLogits(tf.tensor1d([0], 'int32'), tf.tensor2d([[0, 0]])); // [ln 2]
 * ```
 */
export function sparseSoftmaxCrossEntropyWithLogits(labels: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => crossEntropy(labels, logits));
}

function crossEntropy(labels: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  const numClasses = logits.shape[logits.rank - 1]!;
  const outerShape = logits.shape.slice(0, -1);
  const z2d = logits.rank === 2 ? logits : tf.reshape(logits, [-1, numClasses]);
  const ids = labels.rank === 1 ? labels : tf.reshape(labels, [-1]);
  // Porting note: the label's entry is picked by a gather over the flattened logits; tfjs's gather with
  // batchDims and its float32 oneHot give wrong values on the wasm backend (4.22).
  const at = HOST_MEMORY_BACKENDS.has(tf.getBackend()) ? hostPositions(ids.dataSync(), numClasses) : devicePositions(ids, numClasses);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const shifted = tf.sub(z, tf.max(z, -1, true));
    const exp = tf.exp(shifted);
    const sumExp = tf.sum(exp, -1);
    const value = tf.sub(tf.log(sumExp), tf.gather(tf.reshape(shifted, [-1]), at.flatIndex));
    const { oneHot } = at;
    save(oneHot instanceof tf.Tensor ? [exp, sumExp, oneHot] : [exp, sumExp]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [e, s, savedOneHot] = saved as [tf.Tensor, tf.Tensor, tf.Tensor | undefined];
        const hot = savedOneHot ?? (oneHot as () => tf.Tensor)();
        return tf.mul(tf.sub(tf.div(e, tf.expandDims(s, -1)), hot), tf.expandDims(dy, -1));
      },
    };
  });
  let loss = op(z2d);
  if (at.valid !== undefined) loss = tf.where(at.valid, loss, tf.fill(loss.shape, Number.NaN));
  return loss.rank === outerShape.length ? loss : tf.reshape(loss, outerShape);
}
