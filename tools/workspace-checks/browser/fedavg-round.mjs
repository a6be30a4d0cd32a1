// Bundled by esbuild for the browser platform (src/browser-bundle.spec.ts) and run in chromium: one
// federated round with every browser-safe package, on the runtime fedkit picks in a browser.
import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, selectRuntime, TensorSpec } from '@fedkit/core';
import { MeanSquaredError } from '@fedkit/losses';
import { MeanAbsoluteError } from '@fedkit/metrics';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { buildUnweightedFedAvg, registerLearning } from '@fedkit/learning';
import { coordinateMedian, secureRandomUint32 } from '@fedkit/aggregators';
import { partitionIid } from '@fedkit/datasets';

window.runFedAvgRound = async () => {
  const { runtime } = await selectRuntime(registerLearning(createFedkitContainer()), 'auto');
  const modelFn = () =>
    fromKerasModel(tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: 'zeros' })] }), {
      loss: new MeanSquaredError(),
      metrics: [() => new MeanAbsoluteError()],
      inputSpec: { x: new TensorSpec([null, 2]), y: new TensorSpec([null, 1]) },
    });
  // Six examples, y = 5 for x = [1, 2] and y = 6 for x = [3, 4], split IID over 3 clients of 2.
  const xs = [[1, 2], [3, 4], [1, 2], [3, 4], [1, 2], [3, 4]];
  const ys = [5, 6, 5, 6, 5, 6];
  const partition = partitionIid(ys, 3, { seed: 7 });
  const clients = () => partition.map((idx) => [{ x: tf.tensor2d(idx.map((i) => xs[i])), y: tf.tensor2d(idx.map((i) => [ys[i]])) }]);
  const fedAvg = buildUnweightedFedAvg({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.01), modelAggregator: coordinateMedian() });
  let state = fedAvg.initialize();
  const losses = [];
  let kernelAfterRound1;
  for (let round = 1; round <= 2; round++) {
    const out = await fedAvg.next(state, clients());
    state = out.state;
    losses.push(out.metrics.client_work.train.loss);
    if (round === 1) kernelAfterRound1 = Array.from(fedAvg.getModelWeights(state).trainable[0]);
  }
  return { backend: tf.getBackend(), runtime: runtime.name, losses, kernelAfterRound1, partition, secureRandom: secureRandomUint32(2).length };
};
