// FedAvg vs FedProx vs SCAFFOLD on label-skewed clients (Dirichlet alpha = 0.3): 3 classes of 2-D
// points, 8 clients, all clients every round, the same seeded model and data for each algorithm.
// Kept small so it runs in seconds; the printed accuracy is on the pooled held-out set.
// Run: node examples/non-iid-comparison.mjs (after `npm run build`).
import * as tf from '@tensorflow/tfjs';
import { clientDataFromPartition, createRng, partitionDirichlet } from '@fedkit/datasets';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { buildFederatedEvaluation, buildScaffold, buildWeightedFedAvg, buildWeightedFedProx } from '@fedkit/learning';
import { SparseCategoricalAccuracy } from '@fedkit/metrics';

const CLIENTS = 8;
const ROUNDS = 6;
const CENTERS = [[0, 0], [2, 0], [1, 2]];

/** n points per class around CENTERS, from a seeded stream (Box-Muller). */
function blobs(n, seed) {
  const rng = createRng(seed);
  const x = new Float32Array(n * CENTERS.length * 2);
  const y = new Int32Array(n * CENTERS.length);
  for (let i = 0; i < y.length; i++) {
    const c = i % CENTERS.length;
    const r = Math.sqrt(-2 * Math.log(1 - rng())) * 0.6;
    const t = 2 * Math.PI * rng();
    x[2 * i] = CENTERS[c][0] + r * Math.cos(t);
    x[2 * i + 1] = CENTERS[c][1] + r * Math.sin(t);
    y[i] = c;
  }
  return { x, y };
}

const train = blobs(80, 'train');
const test = blobs(40, 'test');
const clients = clientDataFromPartition(train.x, train.y, partitionDirichlet(train.y, CLIENTS, 0.3, { seed: 3 }), [2]).preprocess((ds) => ds.batch(10));
const testData = clientDataFromPartition(test.x, test.y, [Array.from(test.y, (_, i) => i)], [2]).preprocess((ds) => ds.batch(60));

const modelFn = () =>
  fromKerasModel(
    tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [2], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    }),
    { loss: 'sparse_categorical_crossentropy', inputSpec: clients.elementSpec, metrics: [() => new SparseCategoricalAccuracy()] },
  );

const sgd = { name: 'sgd', learningRate: 0.1 };
const algorithms = {
  fedavg: buildWeightedFedAvg({ modelFn, clientOptimizer: sgd }),
  fedprox: buildWeightedFedProx({ modelFn, clientOptimizer: sgd, proximalStrength: 0.1 }),
  scaffold: buildScaffold({ modelFn, clientOptimizer: sgd, totalClients: CLIENTS }),
};
const evaluation = buildFederatedEvaluation(modelFn);
const clientIds = clients.clientIds;
for (const [name, algorithm] of Object.entries(algorithms)) {
  let state = algorithm.initialize();
  let train;
  for (let round = 1; round <= ROUNDS; round++) {
    const out = await algorithm.next(state, clientIds.map((id) => clients.createDatasetForClient(id)), { clientIds });
    state = out.state;
    train = out.metrics.client_work.train;
  }
  const { metrics } = await evaluation.evaluate(algorithm.getModelWeights(state), [testData.createDatasetForClient('0')]);
  const evalMetrics = metrics.eval ?? metrics;
  console.log(
    `${name}: train_loss ${train.loss.toFixed(4)} test_loss ${evalMetrics.loss.toFixed(4)} test_accuracy ${evalMetrics.sparse_categorical_accuracy.toFixed(4)}`,
  );
}
