// A custom aggregator: the mean of client updates, each first scaled down to norm at most CAP (a simple
// robustness step against a few large updates), with state (rounds seen) and measurements. It implements
// core's AggregatorFactory/Aggregator contract directly, is registered as an AGGREGATOR_PLUGIN (so
// `fedkit-simulate --plugin` could offer it as `--aggregator capped-mean:<cap>`), and drives FedAvg.
// Run: node examples/custom-aggregator.mjs (after `npm run build`).
import * as tf from '@tensorflow/tfjs';
import { AGGREGATOR_PLUGIN, createFedkitContainer, registerPlugin, resolvePlugin, StructSpec, TensorSpec } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { buildUnweightedFedAvg } from '@fedkit/learning';
import { MeanSquaredError } from '@fedkit/losses';

/** An unweighted mean of client values, each scaled to L2 norm <= cap first. */
function cappedMean(cap) {
  return {
    weighted: false,
    create(valueSpec) {
      return {
        weighted: false,
        valueSpec,
        stateSpec: new StructSpec({ rounds: new TensorSpec([], 'int32') }),
        measurementsSpec: new StructSpec({ capped: new TensorSpec([], 'int32'), max_norm: new TensorSpec([]) }),
        initialize: () => ({ rounds: 0 }),
        async next(state, clientValues) {
          const sum = clientValues[0].map((t) => new Float64Array(t.length));
          let capped = 0;
          let maxNorm = 0;
          for (const value of clientValues) {
            const norm = Math.sqrt(value.reduce((s, t) => s + t.reduce((u, v) => u + v * v, 0), 0));
            maxNorm = Math.max(maxNorm, norm);
            const scale = norm > cap ? cap / norm : 1;
            if (scale < 1) capped += 1;
            value.forEach((t, i) => t.forEach((v, k) => (sum[i][k] += v * scale)));
          }
          const result = sum.map((s) => Float32Array.from(s, (v) => v / clientValues.length));
          return { state: { rounds: state.rounds + 1 }, result, measurements: { capped, max_norm: maxNorm } };
        },
      };
    },
  };
}

const container = createFedkitContainer();
registerPlugin(container, AGGREGATOR_PLUGIN, {
  name: 'capped-mean',
  usage: 'capped-mean:<cap>',
  description: 'mean of client updates, each scaled to norm <= cap',
  create: ([cap = 0.5]) => cappedMean(cap),
});
const aggregator = resolvePlugin(container, AGGREGATOR_PLUGIN, 'capped-mean', 'aggregator').create([0.5], { clients: 3, clientsPerRound: 3, seed: 0 });

// Client c holds x = (c + 1) * I (2 examples), y = [1, 2]: updates grow with c, so the larger ones get capped.
const clients = () => [0, 1, 2].map((c) => [{ x: tf.tensor2d([[c + 1, 0], [0, c + 1]]), y: tf.tensor2d([[1], [2]]) }]);
const modelFn = () =>
  fromKerasModel(tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: 'zeros' })] }), {
    loss: new MeanSquaredError(),
    inputSpec: { x: new TensorSpec([null, 2]), y: new TensorSpec([null, 1]) },
  });
const fedAvg = buildUnweightedFedAvg({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.1), modelAggregator: aggregator });
let state = fedAvg.initialize();
for (let round = 1; round <= 3; round++) {
  const { state: next, metrics } = await fedAvg.next(state, clients());
  state = next;
  const { capped, max_norm } = metrics.aggregator;
  const [kernel, bias] = fedAvg.getModelWeights(state).trainable;
  console.log(
    `round ${round}: capped ${capped} max_norm ${max_norm.toFixed(6)} kernel ${Array.from(kernel, (v) => v.toFixed(6)).join(' ')} bias ${bias[0].toFixed(6)} loss ${metrics.client_work.train.loss.toFixed(6)}`,
  );
}
