import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import * as tf from '@tensorflow/tfjs';
import { TensorSpec, ValueError } from '@fedkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fromKerasModel } from './from-keras-model.js';
import { loadUncompiledLayersModel } from './load-uncompiled-layers-model.js';

const spec = { x: new TensorSpec([null, 3]), y: new TensorSpec([null, 2]) };

/** Dense(2) over 3 features with weights W = [[1,2],[3,4],[5,6]], b = [0.5, -0.5]: x = [1,1,1] gives [9.5, 11.5]. */
function knownModel(): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
  model.setWeights([tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([0.5, -0.5])]);
  return model;
}

/**
 * Artifacts of a compiled model saved with its optimizer, the way a Keras-converted compiled
 * model arrives: modelTopology (model.toJSON), weights, and a trainingConfig.
 */
async function compiledArtifacts(): Promise<tf.io.ModelArtifacts> {
  const model = knownModel();
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    {
      save: async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      },
    },
    { includeOptimizer: true },
  );
  model.dispose();
  return saved!;
}

function predict(model: tf.LayersModel): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.tensor2d([[1, 1, 1]])) as tf.Tensor).dataSync()));
}

describe('loadUncompiledLayersModel', () => {
  let artifacts: tf.io.ModelArtifacts;
  let dir: string;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    artifacts = await compiledArtifacts();
    dir = mkdtempSync(join(tmpdir(), 'fedkit-load-uncompiled-'));
    const weightData = artifacts.weightData as ArrayBuffer;
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(weightData));
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({
        format: 'layers-model',
        modelTopology: artifacts.modelTopology,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      }),
    );
    server = createServer((req, res) => {
      const name = (req.url ?? '').split('/').pop()!;
      if (name === 'model.json') res.end(JSON.stringify({ modelTopology: artifacts.modelTopology, trainingConfig: artifacts.trainingConfig, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] }));
      else if (name === 'weights.bin') res.end(Buffer.from(weightData));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await new Promise((resolve) => server.close(resolve));
  });

  it('the artifacts carry a training config, so tf.loadLayersModel compiles the model and fromKerasModel refuses it, saying how to load it', async () => {
    expect(artifacts.trainingConfig).toBeDefined();
    const compiled = await tf.loadLayersModel(tf.io.fromMemory(artifacts));

    expect(compiled.optimizer).toBeDefined();
    expect(() => fromKerasModel(compiled, { loss: 'mse', inputSpec: spec })).toThrow(ValueError);
    expect(() => fromKerasModel(compiled, { loss: 'mse', inputSpec: spec })).toThrow(/loadUncompiledLayersModel\(pathOrArtifacts\)/);
    expect(() => fromKerasModel(compiled, { loss: 'mse', inputSpec: spec })).toThrow(/tf\.io\.fromMemory\(\{ modelTopology, weightSpecs, weightData \}\)/);
    compiled.dispose();
  });

  it.each([
    ['in-memory artifacts', () => artifacts],
    ['an IOHandler', () => ({ load: async () => artifacts })],
    ['a file path', () => join(dir, 'model.json')],
    ['a file:// URL', () => pathToFileURL(join(dir, 'model.json')).href],
    ['an http:// URL', () => `${baseUrl}/model/model.json`],
  ] as const)('loads %s uncompiled, with its weights, and fromKerasModel accepts it', async (_, source) => {
    const before = tf.memory().numTensors;

    const model = await loadUncompiledLayersModel(source());

    expect(model.optimizer).toBeUndefined();
    expect(predict(model)).toEqual([9.5, 11.5]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const again = await loadUncompiledLayersModel(source());
    expect(() => fromKerasModel(again, { loss: 'mse', inputSpec: spec })).not.toThrow();
    again.dispose();
  });

  it('throws a TypeError for a source that is not a path, artifacts or an IOHandler', async () => {
    await expect(loadUncompiledLayersModel(42 as never)).rejects.toThrow(TypeError);
    await expect(loadUncompiledLayersModel({ weightData: new ArrayBuffer(0) } as never)).rejects.toThrow(/expects a model.json path or URL, ModelArtifacts or an IOHandler/);
  });
});
