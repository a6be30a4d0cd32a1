import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { relativeError, seededValues } from './testing/fixtures.js';
import { activateWasm } from './wasm-runtime.js';

/** McMahan et al.'s 2NN: 784-200-200-10 with ReLU. */
function twoNN(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 200, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

/** A small CNN covering both gradient paths: stride-1 'same' (fast path) and stride-2 'valid' convs. */
function smallCnn(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 5, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

interface Run {
  readonly weights: Float32Array[];
  /** Live tensors after step 1 and after the last step: equal when training leaks nothing. */
  readonly tensorsAfterFirstStep: number;
  readonly tensorsAfterLastStep: number;
}

/**
 * Builds `build()` on the active backend, loads `initial` into it (weights are
 * matched by position: variable names differ between the two models), and runs
 * 3 SGD steps (lr 0.05, categorical crossentropy) on fixed batches.
 */
async function train(build: () => tf.Sequential, initial: Float32Array[], inputShape: number[]): Promise<Run> {
  const model = build();
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(initial[i]!, w.shape)));
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
  const batch = 8;
  const features = inputShape.reduce((p, d) => p * d, 1);
  let tensorsAfterFirstStep = 0;
  for (let step = 0; step < 3; step++) {
    const x = tf.tensor(seededValues(batch * features, 100 + step), [batch, ...inputShape]);
    const labels = Array.from({ length: batch }, (_, i) => (i * 3 + step) % 10);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10));
    await model.trainOnBatch(x, y);
    tf.dispose([x, y]);
    if (step === 0) tensorsAfterFirstStep = tf.memory().numTensors;
  }
  const tensorsAfterLastStep = tf.memory().numTensors;
  const weights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  model.dispose();
  return { weights, tensorsAfterFirstStep, tensorsAfterLastStep };
}

/** Initial weights drawn once on cpu, so both backends start from the same point. */
async function initialWeights(build: () => tf.Sequential): Promise<Float32Array[]> {
  await tf.setBackend('cpu');
  const model = build();
  const weights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  model.dispose();
  return weights;
}

describe('3 SGD steps give the same weights on wasm as on cpu', () => {
  it.each([
    ['the 2NN (784-200-200-10)', twoNN, [784]],
    ['a small CNN (conv5x5 same, pool, conv3x3 stride 2, dense)', smallCnn, [12, 12, 1]],
  ] as const)('%s', async (_, build, inputShape) => {
    const initial = await initialWeights(build);
    const cpu = await train(build, initial, [...inputShape]);
    await activateWasm();

    const wasm = await train(build, initial, [...inputShape]);

    expect(tf.getBackend()).toBe('wasm');
    expect(wasm.weights).toHaveLength(cpu.weights.length);
    wasm.weights.forEach((w, i) => {
      // Training must have moved every weight array, or the comparison proves nothing.
      expect(relativeError(w, initial[i]!)).toBeGreaterThan(1e-4);
      expect(relativeError(w, cpu.weights[i]!)).toBeLessThan(1e-4);
    });
    expect(wasm.tensorsAfterLastStep).toBe(wasm.tensorsAfterFirstStep);
    expect(cpu.tensorsAfterLastStep).toBe(cpu.tensorsAfterFirstStep);
  });
});
