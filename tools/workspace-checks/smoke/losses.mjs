// Smoke test for @fedkit/losses installed from its tarball: the README example.
import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, resolveLoss, LOSS_PLUGIN, registerPlugin } from '@fedkit/core';
import { registerLosses, SparseCategoricalCrossentropy, defineLoss } from '@fedkit/losses';

const container = registerLosses(createFedkitContainer());
const mse = resolveLoss(container, 'mse').call(tf.tensor2d([[0], [0]]), tf.tensor2d([[1], [3]])).dataSync()[0];
if (Math.abs(mse - 5) > 1e-6) throw new Error(`mse gave ${mse}`);
const sce = new SparseCategoricalCrossentropy({ fromLogits: true }).call(tf.tensor1d([0], 'int32'), tf.tensor2d([[0, Math.log(3)]])).dataSync()[0];
if (Math.abs(sce - 1.3862944) > 1e-5) throw new Error(`sparse crossentropy gave ${sce}`);
const focal = defineLoss('focal', (y, p, { gamma = 2 }) => {
  const pt = tf.sum(tf.mul(y.toFloat(), p), -1).clipByValue(1e-7, 1);
  return tf.mul(tf.pow(tf.sub(1, pt), gamma), tf.neg(tf.log(pt)));
});
registerPlugin(container, LOSS_PLUGIN, focal);
// gamma 1, p_t = 0.5: (1 - 0.5) · ln 2 = 0.3465736
const f = resolveLoss(container, 'focal', { gamma: 1 }).call(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.5, 0.5]])).dataSync()[0];
if (Math.abs(f - 0.3465736) > 1e-5) throw new Error(`focal gave ${f}`);
console.log('@fedkit/losses ok');
