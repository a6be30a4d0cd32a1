// Differentially private FedAvg: each client's update is clipped to norm 1, Gaussian noise (z = 1) is
// added to the sum, and the RDP accountant reports the (epsilon, delta) spent after each round for
// Poisson-style sampling of 4 of 40 clients (q = 0.1). The noise comes from the platform's CSPRNG, so
// losses differ run to run; epsilon depends only on q, z, the rounds and delta.
// Run: node examples/dp-training.mjs (after `npm run build`).
import * as tf from '@tensorflow/tfjs';
import { TensorSpec } from '@fedkit/core';
import { dpGaussian } from '@fedkit/aggregators';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { buildUnweightedFedAvg } from '@fedkit/learning';
import { MeanSquaredError } from '@fedkit/losses';

const TOTAL_CLIENTS = 40;
const PER_ROUND = 4;
const ROUNDS = 5;

// Client c holds 8 examples of y = x0 + x1 on a grid.
const clientData = (c) => {
  const xs = Array.from({ length: 8 }, (_, i) => [((c + i) % 10) / 10, ((3 * c + i) % 10) / 10]);
  return [{ x: tf.tensor2d(xs), y: tf.tensor2d(xs.map(([a, b]) => [a + b])) }];
};
const modelFn = () =>
  fromKerasModel(tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] }), {
    loss: new MeanSquaredError(),
    inputSpec: { x: new TensorSpec([null, 2]), y: new TensorSpec([null, 1]) },
  });

const fedAvg = buildUnweightedFedAvg({
  modelFn,
  clientOptimizerFn: () => tf.train.sgd(0.1),
  modelAggregator: dpGaussian({ noiseMultiplier: 1, clientsPerRound: PER_ROUND, totalClients: TOTAL_CLIENTS, clipping: { norm: 1 }, delta: 1e-5 }),
});
let state = fedAvg.initialize();
for (let round = 1; round <= ROUNDS; round++) {
  const sampled = Array.from({ length: PER_ROUND }, (_, k) => clientData((round * PER_ROUND + k) % TOTAL_CLIENTS));
  const { state: next, metrics } = await fedAvg.next(state, sampled);
  state = next;
  const dp = metrics.aggregator;
  console.log(`round ${round}: epsilon ${dp.epsilon.toFixed(4)} delta ${dp.delta} noise_stddev ${dp.noise_stddev.toFixed(4)} loss ${metrics.client_work.train.loss.toFixed(4)}`);
}
