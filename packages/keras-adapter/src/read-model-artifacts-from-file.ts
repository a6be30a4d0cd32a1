import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import * as tf from '@tensorflow/tfjs';

/**
 * Reads a tfjs layers model saved on disk (`model.json` plus the weight shards
 * its `weightsManifest` lists, resolved next to it) into `ModelArtifacts`.
 * Node only: tfjs without tfjs-node has no `file://` handler. Imported
 * dynamically by `loadUncompiledLayersModel`, so browser bundles never load
 * `node:fs`.
 */
export async function readModelArtifactsFromFile(modelJsonPath: string): Promise<tf.io.ModelArtifacts> {
  const path = modelJsonPath.startsWith('file://') ? new URL(modelJsonPath).pathname : modelJsonPath;
  const modelJson = JSON.parse(await readFile(path, 'utf8')) as tf.io.ModelJSON;
  return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const shards: ArrayBuffer[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const shard of group.paths) {
        const bytes = await readFile(join(dirname(path), shard));
        shards.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      }
    }
    return [specs, tf.io.concatenateArrayBuffers(shards)];
  });
}
