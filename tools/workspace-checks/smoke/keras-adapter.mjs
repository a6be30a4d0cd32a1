// Smoke test for @fedkit/keras-adapter installed from its tarball: the README example.
// Run from packages/keras-adapter after `npx tsc -b tsconfig.json`: node examples/train-by-hand.mjs
import * as tf from '@tensorflow/tfjs';
import { TensorSpec, sumThenFinalize } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { SparseCategoricalAccuracy } from '@fedkit/metrics';

const keras = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax', kernelInitializer: 'zeros' })] });
const model = fromKerasModel(keras, {
  loss: 'sparse_categorical_crossentropy',
  inputSpec: { x: new TensorSpec([null, 4]), y: new TensorSpec([null, 1], 'int32') },
  metrics: [() => new SparseCategoricalAccuracy()],
});
const batch = { x: tf.tensor2d([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]]), y: tf.tensor2d([[0], [1], [2]], undefined, 'int32') };
const optimizer = tf.train.sgd(0.5);
for (let step = 0; step < 5; step++) {
  const { value, grads } = tf.variableGrads(() => model.forwardPass(batch).loss, model.trainableVariables);
  optimizer.applyGradients(grads);
  tf.dispose([value, ...Object.values(grads)]);
}
console.log(sumThenFinalize(model.metricFinalizers(), [model.reportLocalUnfinalizedMetrics()]));
const finalized = sumThenFinalize(model.metricFinalizers(), [model.reportLocalUnfinalizedMetrics()]);
if (finalized.num_examples !== 15 || finalized.num_batches !== 5) throw new Error(`unexpected counts ${JSON.stringify(finalized)}`);
console.log('@fedkit/keras-adapter ok');
