// Smoke test for @fedkit/runtime-wasm installed from its tarball: the README example, then one CNN training step.
import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, selectRuntime } from '@fedkit/core';
import { registerWasmRuntime } from '@fedkit/runtime-wasm';

const container = registerWasmRuntime(createFedkitContainer());
const { runtime, message } = await selectRuntime(container, 'auto');
console.log(message);
if (runtime.name !== 'wasm' || tf.getBackend() !== 'wasm') throw new Error(`expected wasm, got ${tf.getBackend()}`);
const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 1 })] });
model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
const loss = await model.trainOnBatch(tf.ones([2, 6, 6, 1]), tf.ones([2, 1]));
if (!Number.isFinite(loss)) throw new Error(`CNN step gave ${loss}`);
console.log('@fedkit/runtime-wasm ok');
