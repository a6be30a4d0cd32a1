// Smoke test for @fedkit/learning installed from its tarball: the README example.
import * as tf from '@tensorflow/tfjs';
import { TensorSpec } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { MeanSquaredError } from '@fedkit/losses';
import { buildWeightedFedAvg, buildFederatedEvaluation, fedAdam } from '@fedkit/learning';

const modelFn = () =>
  fromKerasModel(tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: 'zeros' })] }), {
    loss: new MeanSquaredError(),
    inputSpec: { x: new TensorSpec([null, 2]), y: new TensorSpec([null, 1]) },
  });
// A client dataset is an Iterable / AsyncIterable of batches or a tfjs-data Dataset; batches are disposed after use.
const client = () => [{ x: tf.tensor2d([[1, 2], [3, 4]]), y: tf.tensor2d([[5], [6]]) }];

const process = buildWeightedFedAvg({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.01) });
let state = process.initialize();
const losses = [];
for (let round = 1; round <= 3; round++) {
  const out = await process.next(state, [client(), client(), client()]);
  state = out.state;
  losses.push(out.metrics.client_work.train.loss);
}
const evaluation = buildFederatedEvaluation(modelFn);
console.log((await evaluation.evaluate(process.getModelWeights(state), [client()])).metrics);
// A FedOpt variant only changes the server optimizer:
buildWeightedFedAvg({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.01), serverOptimizerFn: () => fedAdam() });
// round 1: zeros model, (25 + 36) / 2 = 30.5; the loss must fall every round
if (Math.abs(losses[0] - 30.5) > 1e-4 || !(losses[1] < losses[0] && losses[2] < losses[1])) throw new Error(`losses ${losses}`);
console.log('@fedkit/learning ok');
