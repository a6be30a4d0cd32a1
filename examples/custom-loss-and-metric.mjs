// A custom loss and a custom metric as plugins: registered by name in a fedkit container, resolved by
// fromKerasModel and resolveMetric like the built-in ones, then trained with FedAvg.
// Run: node examples/custom-loss-and-metric.mjs (after `npm run build`).
import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, LOSS_PLUGIN, METRIC_PLUGIN, registerPlugin, resolveMetric, TensorSpec } from '@fedkit/core';
import { fromKerasModel } from '@fedkit/keras-adapter';
import { buildWeightedFedAvg } from '@fedkit/learning';

/** log(cosh(y_pred - y_true)), averaged: quadratic near 0, linear far away (Keras's `log_cosh`). */
class LogCosh {
  name = 'log_cosh';
  call(yTrue, yPred, sampleWeight) {
    return tf.tidy(() => {
      const d = tf.sub(yPred, yTrue);
      // log(cosh(d)) = |d| + log1p(exp(-2|d|)) - log(2), stable for large |d|.
      const perExample = tf.mean(tf.sub(tf.add(tf.abs(d), tf.log1p(tf.exp(tf.mul(-2, tf.abs(d))))), Math.log(2)), -1);
      return sampleWeight === undefined ? tf.mean(perExample) : tf.div(tf.sum(tf.mul(perExample, sampleWeight)), tf.sum(sampleWeight));
    });
  }
}

/** The fraction of predictions within `tolerance` of the truth; its state (hits, count) sums across clients. */
class WithinTolerance {
  constructor(tolerance = 0.5) {
    this.name = 'within_tolerance';
    this.tolerance = tolerance;
    this.variables = [tf.variable(tf.scalar(0), false), tf.variable(tf.scalar(0), false)];
  }
  updateState(yTrue, yPred) {
    tf.tidy(() => {
      const hits = tf.sum(tf.cast(tf.lessEqual(tf.abs(tf.sub(yPred, yTrue)), this.tolerance), 'float32'));
      this.variables[0].assign(tf.add(this.variables[0], hits));
      this.variables[1].assign(tf.add(this.variables[1], yTrue.size));
    });
  }
  result() {
    return this.finalize(this.unfinalizedState());
  }
  resetState() {
    for (const v of this.variables) v.assign(tf.scalar(0));
  }
  unfinalizedState() {
    return this.variables.map((v) => v.dataSync()[0]);
  }
  finalize([hits, count]) {
    return count === 0 ? 0 : hits / count;
  }
}

const container = createFedkitContainer();
registerPlugin(container, LOSS_PLUGIN, { name: 'log_cosh', create: () => new LogCosh() });
registerPlugin(container, METRIC_PLUGIN, { name: 'within_tolerance', create: (config) => new WithinTolerance(config?.tolerance) });

// 4 clients of 10 examples on a grid, y = 2 x0 - x1 + 0.5; one batch per client per round.
const example = (n) => [n / 40, (n % 7) / 7];
const target = ([a, b]) => 2 * a - b + 0.5;
const clients = () =>
  [0, 1, 2, 3].map((c) => {
    const xs = Array.from({ length: 10 }, (_, i) => example(c * 10 + i));
    return [{ x: tf.tensor2d(xs), y: tf.tensor2d(xs.map((x) => [target(x)])) }];
  });

const modelFn = () =>
  fromKerasModel(tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: 'zeros' })] }), {
    loss: 'log_cosh',
    container,
    metrics: [() => resolveMetric(container, 'within_tolerance', { tolerance: 0.5 })],
    inputSpec: { x: new TensorSpec([null, 2]), y: new TensorSpec([null, 1]) },
  });

const fedAvg = buildWeightedFedAvg({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.5) });
let state = fedAvg.initialize();
for (let round = 1; round <= 8; round++) {
  const { state: next, metrics } = await fedAvg.next(state, clients());
  state = next;
  const { loss, within_tolerance } = metrics.client_work.train;
  console.log(`round ${round}: log_cosh ${loss.toFixed(6)} within_tolerance ${within_tolerance.toFixed(4)}`);
}
