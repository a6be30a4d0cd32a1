import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { listCheckpoints, loadCheckpoint, loadLatestCheckpoint, saveCheckpoint } from './checkpoint.js';

function state(round: number) {
  return {
    globalModelWeights: {
      trainable: [Float32Array.from([1.5, -2, 0.1]), Float32Array.from([7])],
      nonTrainable: [Float32Array.from([3, 4])],
      trainableShapes: [[3], [1]],
      nonTrainableShapes: [[1, 2]],
    },
    distributor: {},
    clientWork: {},
    aggregator: { history: [1, Number.NaN, Number.POSITIVE_INFINITY] },
    finalizer: { step: 3, slots: { momentum: [Float32Array.from([0.25, -0.5, 1e-30]), Float32Array.from([9])] } },
    round,
  };
}

describe('saveCheckpoint / loadLatestCheckpoint', () => {
  it('round-trips the whole state exactly, Float32Arrays and non-finite numbers included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    await saveCheckpoint(dir, state(3), { sampler: { seed: 1 } });
    const cp = await loadLatestCheckpoint(dir);
    expect(cp?.state).toEqual(state(3));
    expect(cp?.extra).toEqual({ sampler: { seed: 1 } });
  });

  it('writes weights in the tfjs artifact format that tf.io decodes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    const path = await saveCheckpoint(dir, state(1), {}, { weightNames: ['a', 'b', 'c'] });
    const modelJson = JSON.parse(readFileSync(join(path, 'model.json'), 'utf8'));
    expect(modelJson.weightsManifest).toEqual([
      { paths: ['weights.bin'], weights: [
        { name: 'a', shape: [3], dtype: 'float32' },
        { name: 'b', shape: [1], dtype: 'float32' },
        { name: 'c', shape: [1, 2], dtype: 'float32' },
      ] },
    ]);
    const bin = readFileSync(join(path, 'weights.bin'));
    // 3 + 1 + 2 float32 values = 24 bytes.
    expect(bin.byteLength).toBe(24);
    const decoded = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), modelJson.weightsManifest[0].weights);
    expect(Array.from(decoded['a']!.dataSync())).toEqual([1.5, -2, Math.fround(0.1)]);
    expect(Array.from(decoded['c']!.dataSync())).toEqual([3, 4]);
    tf.dispose(Object.values(decoded));
  });

  it('a Keras model saved with its topology loads back with tf.loadLayersModel', async () => {
    const keras = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: 'ones' })] });
    const [kernel, bias] = keras.getWeights().map((t) => Float32Array.from(t.dataSync()));
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    const path = await saveCheckpoint(
      dir,
      { globalModelWeights: { trainable: [kernel!, bias!], nonTrainable: [], trainableShapes: [[2, 1], [1]], nonTrainableShapes: [] }, round: 1 },
      {},
      { modelTopology: keras.toJSON(null, false), weightNames: keras.trainableWeights.map((w) => w.originalName) },
    );
    const json = JSON.parse(readFileSync(join(path, 'model.json'), 'utf8'));
    const bin = readFileSync(join(path, 'weights.bin'));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) }));
    const out = loaded.predict(tf.tensor2d([[1, 2]])) as tf.Tensor;
    // kernel ones, bias zero: 1·1 + 1·2 + 0 = 3.
    expect(Array.from(out.dataSync())).toEqual([3]);
    out.dispose();
    loaded.dispose();
    keras.dispose();
  });

  it('ignores an unfinished temporary directory and keeps the newest checkpoints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    for (const r of [1, 2, 3]) await saveCheckpoint(dir, state(r), {}, { keep: 2 });
    mkdirSync(join(dir, 'round-000009.tmp-123'));
    expect(await listCheckpoints(dir)).toEqual(['round-000002', 'round-000003']);
    expect((await loadLatestCheckpoint(dir))?.state.round).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(['round-000002', 'round-000003', 'round-000009.tmp-123']);
  });

  it('returns undefined when there is no checkpoint', async () => {
    expect(await loadLatestCheckpoint(join(tmpdir(), 'does-not-exist-fedkit'))).toBeUndefined();
  });

  it('throws when weights.bin is shorter than its manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    const path = await saveCheckpoint(dir, state(1));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(path, 'weights.bin'), new Uint8Array(8));
    await expect(loadCheckpoint(path)).rejects.toThrow(/weights.bin has 8 bytes/);
  });
});
