// Test-only helper; not exported from the package.
import * as tf from '@tensorflow/tfjs';

/** Runs a loss on plain arrays and returns its value, disposing the inputs. */
export function lossValue(
  loss: { call(y: tf.Tensor, p: tf.Tensor, w?: tf.Tensor): tf.Scalar },
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  sampleWeight?: tf.Tensor,
): number {
  const out = loss.call(yTrue, yPred, sampleWeight);
  const value = out.dataSync()[0]!;
  tf.dispose([out, yTrue, yPred, ...(sampleWeight ? [sampleWeight] : [])]);
  return value;
}
