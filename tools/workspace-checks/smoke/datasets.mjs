// Smoke test for @fedkit/datasets installed from its tarball: the README example on the real MNIST package data.
import * as tf from '@tensorflow/tfjs';
import { disposeBatch } from '@fedkit/core';
import { clientDataFromPartition, loadMnist, partitionIid } from '@fedkit/datasets';

const { train, test } = loadMnist();
if (train.numExamples + test.numExamples !== 10_000) throw new Error(`expected 10,000 digits, got ${train.numExamples + test.numExamples}`);
const partition = partitionIid(train.y, 100, { seed: 0 });
const clientData = clientDataFromPartition(train.x, train.y, partition, [784]).preprocess((ds) => ds.shuffle(100, 0).repeat(1).batch(20));
if (clientData.elementSpec.toString() !== '<x=float32[?,784],y=int32[?,1]>') throw new Error(`spec ${clientData.elementSpec}`);
const before = tf.memory().numTensors;
let examples = 0;
for (const batch of clientData.createDatasetForClient('0')) {
  examples += batch.x.shape[0];
  disposeBatch(batch);
}
if (examples !== 85 || tf.memory().numTensors !== before) throw new Error(`client 0: ${examples} examples, ${tf.memory().numTensors - before} tensors left`);
console.log('@fedkit/datasets ok');
