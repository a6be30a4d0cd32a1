import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe('checkpoint verification', () => {
  function damage(path: string, file: string, edit: (b: Buffer) => Buffer): void {
    writeFileSync(join(path, file), edit(readFileSync(join(path, file))));
  }

  it('refuses a truncated state.bin instead of reading zeros (optimizer slots)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    const path = await saveCheckpoint(dir, state(1));
    // momentum slots: 3 + 1 float32 = 16 bytes; keep 8.
    damage(path, 'state.bin', (b) => b.subarray(0, 8));
    await expect(loadCheckpoint(path)).rejects.toThrow(/state\.bin has 8 bytes, the manifest says 16/);
  });

  it('refuses a weights.bin with a flipped byte (same size) by its SHA-256', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    const path = await saveCheckpoint(dir, state(1));
    damage(path, 'weights.bin', (b) => {
      const c = Buffer.from(b);
      c[5] = c[5]! ^ 0xff;
      return c;
    });
    await expect(loadCheckpoint(path)).rejects.toThrow(/weights\.bin does not match its SHA-256/);
  });

  it('refuses a checkpoint without manifest.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    const path = await saveCheckpoint(dir, state(1));
    rmSync(join(path, 'manifest.json'));
    await expect(loadCheckpoint(path)).rejects.toThrow(/no readable manifest\.json/);
  });

  it('refuses non-finite weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    const s = state(1);
    const path = await saveCheckpoint(dir, { ...s, globalModelWeights: { ...s.globalModelWeights, trainable: [Float32Array.from([1, Number.NaN, 0]), Float32Array.from([7])] } });
    await expect(loadCheckpoint(path)).rejects.toThrow(/weight trainable\/0 holds NaN at index 1; .*non-finite weights is refused/);
  });

  it('falls back to the previous checkpoint when the newest is damaged, and says which and why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    for (const r of [1, 2]) await saveCheckpoint(dir, state(r), {}, { runId: 'a' });
    damage(join(dir, 'round-000002'), 'weights.bin', (b) => b.subarray(0, 4));
    const cp = await loadLatestCheckpoint(dir);
    expect(cp?.state.round).toBe(1);
    expect(cp?.rejected).toEqual([{ path: join(dir, 'round-000002'), reason: expect.stringMatching(/weights\.bin has 4 bytes, the manifest says 24/) }]);
  });

  it('throws, listing the reasons, when every checkpoint is damaged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    await saveCheckpoint(dir, state(1));
    damage(join(dir, 'round-000001'), 'state.json', (b) => b.subarray(1));
    await expect(loadLatestCheckpoint(dir)).rejects.toThrow(/No usable checkpoint in .*state\.json has \d+ bytes/);
  });

  it('pruning deletes only checkpoints of the same run id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    for (const r of [1, 2, 3]) await saveCheckpoint(dir, state(r), {}, { runId: 'old', keep: 2 });
    for (const r of [4, 5, 6]) await saveCheckpoint(dir, state(r), {}, { runId: 'new', keep: 2 });
    expect(await listCheckpoints(dir)).toEqual(['round-000002', 'round-000003', 'round-000005', 'round-000006']);
    expect((await loadLatestCheckpoint(dir))?.manifest.runId).toBe('new');
  });

  it('the next save deletes the temporary folder of a crashed writer, not that of a live one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    // A pid above the Linux maximum (2^22) belongs to no process.
    mkdirSync(join(dir, 'round-000009.tmp-9999999'));
    mkdirSync(join(dir, `round-000008.tmp-${process.ppid}`));
    await saveCheckpoint(dir, state(1));
    expect(readdirSync(dir).sort()).toEqual(['round-000001', `round-000008.tmp-${process.ppid}`]);
  });
});
