// A custom task for the simulator: `fedkit-simulate --task examples/custom-task.mjs`. A task module exports
// its name, a seeded Keras model, the loss, metrics, the input spec and loadData (which must depend on
// the split seed only, so every --seed sees the same test set).
// Run: npx nx run @fedkit/simulator:start -- --task examples/custom-task.mjs --rounds 5 --out out/custom-task
// (or node apps/simulator/dist/cli.js ... after `npm run build`).
import * as tf from '@tensorflow/tfjs';
import { TensorSpec } from '@fedkit/core';
import { createRng } from '@fedkit/datasets';
import { SparseCategoricalAccuracy } from '@fedkit/metrics';

export const name = 'two-rings';

/** A 2-16-2 MLP; the simulator passes its --seed, which seeds the initializers. */
export function createKerasModel(seed) {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 10 + 1 }) }),
      tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 10 + 2 }) }),
    ],
  });
}

export const loss = 'sparse_categorical_crossentropy';
export const metrics = [() => new SparseCategoricalAccuracy()];
export const inputSpec = { x: new TensorSpec([null, 2]), y: new TensorSpec([null], 'int32') };

/** Points on two noisy rings (radius 1: class 0, radius 2: class 1), from a seeded stream. */
function rings(n, rng) {
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const r = 1 + label + (rng() - 0.5) * 0.4;
    const t = 2 * Math.PI * rng();
    x[2 * i] = r * Math.cos(t);
    x[2 * i + 1] = r * Math.sin(t);
    y[i] = label;
  }
  return { x, y, numExamples: n, exampleShape: [2] };
}

export function loadData({ splitSeed }) {
  const rng = createRng(`two-rings:${splitSeed}`);
  return { train: rings(400, rng), test: rings(100, rng), numClasses: 2 };
}
