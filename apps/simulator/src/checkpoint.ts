import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { ValueError, type ModelWeightArrays } from '@fedkit/core';

import { writeFileAtomic } from './write-file-atomic.js';

/** A process state as fedkit's composed processes make it: global weights plus plain-data block states. */
export interface CheckpointableState {
  readonly globalModelWeights: ModelWeightArrays;
  readonly round: number;
}

/** What a checkpoint holds. */
export interface Checkpoint<S extends CheckpointableState = CheckpointableState> {
  /** The learning process state (weights, optimizer slots, round). */
  readonly state: S;
  /** Simulator state: sampler, seed, metric history (plain JSON). */
  readonly extra: Record<string, unknown>;
  /** The directory it was read from. */
  readonly path: string;
}

/** How the weights are described in `model.json`. */
export interface ModelDescription {
  /** A Keras model topology (`model.toJSON(null, false)`), so that `tf.loadLayersModel` can rebuild it. */
  readonly modelTopology?: unknown;
  /** One name per weight, trainable then non-trainable (Keras `originalName`s); default `trainable/<i>`. */
  readonly weightNames?: readonly string[];
}

const DIR_PREFIX = 'round-';

/** The directory name of the checkpoint of `round` (zero-padded so names sort by round). */
export function checkpointDirName(round: number): string {
  return `${DIR_PREFIX}${String(round).padStart(6, '0')}`;
}

/**
 * Saves a process state as a checkpoint directory `<dir>/round-NNNNNN/`:
 * - `model.json` + `weights.bin`: the global weights in the tfjs artifact
 *   format (`weightsManifest` with `paths` and `weights` entries of name,
 *   shape, dtype; little-endian float32 in manifest order), loadable with
 *   `tf.io` and, when a topology is given, with `tf.loadLayersModel`;
 * - `state.json` + `state.bin`: every other part of the state (server
 *   optimizer slots, round) and `extra`; Float32Arrays go to `state.bin`,
 *   numbers stay exact (JSON round-trips doubles; non-finite ones are tagged).
 *
 * The files are written into a temporary directory that is renamed into
 * place, so a crash leaves either the complete checkpoint or none. Keeps the
 * newest `keep` checkpoints.
 *
 * @example
 * ```ts
 * const path = await saveCheckpoint('out/checkpoints', state, { sampler, rounds });
 * const latest = await loadLatestCheckpoint('out/checkpoints');
 * ```
 */
export async function saveCheckpoint(
  dir: string,
  state: CheckpointableState,
  extra: Record<string, unknown> = {},
  options: ModelDescription & { readonly keep?: number } = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const final = join(dir, checkpointDirName(state.round));
  const tmp = `${final}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp);

  const w = state.globalModelWeights;
  const arrays = [...w.trainable, ...w.nonTrainable];
  const shapes = [...w.trainableShapes, ...w.nonTrainableShapes];
  const names = options.weightNames ?? [
    ...w.trainable.map((_, i) => `trainable/${i}`),
    ...w.nonTrainable.map((_, i) => `non_trainable/${i}`),
  ];
  if (names.length !== arrays.length) {
    throw new ValueError(`saveCheckpoint got ${names.length} weight names for ${arrays.length} weights; pass one name per weight (trainable then non-trainable).`);
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'fedkit',
    convertedBy: null,
    modelTopology: options.modelTopology ?? null,
    weightsManifest: [
      { paths: ['weights.bin'], weights: arrays.map((_, i) => ({ name: names[i]!, shape: shapes[i]!, dtype: 'float32' })) },
    ],
    userDefinedMetadata: { fedkit: { round: state.round, numTrainable: w.trainable.length } },
  };
  await writeFileAtomic(join(tmp, 'weights.bin'), concatFloat32(arrays));
  await writeFileAtomic(join(tmp, 'model.json'), JSON.stringify(modelJson));

  const { globalModelWeights: _weights, ...rest } = state;
  const blobs: Float32Array[] = [];
  const offset = { bytes: 0 };
  const encoded = encode({ process: rest, extra }, blobs, offset);
  await writeFileAtomic(join(tmp, 'state.bin'), concatFloat32(blobs));
  await writeFileAtomic(join(tmp, 'state.json'), JSON.stringify({ version: 1, round: state.round, ...(encoded as object) }));

  await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
  await prune(dir, options.keep ?? 2);
  return final;
}

/**
 * Loads the newest complete checkpoint under `dir` (see {@link saveCheckpoint}),
 * or `undefined` when there is none.
 * @throws ValueError when a checkpoint's files disagree (e.g. weights.bin too short).
 * @example
 * ```ts
 * const cp = await loadLatestCheckpoint('out/checkpoints');
 * if (cp) state = cp.state;
 * ```
 */
export async function loadLatestCheckpoint<S extends CheckpointableState = CheckpointableState>(dir: string): Promise<Checkpoint<S> | undefined> {
  const names = await listCheckpoints(dir);
  const last = names.at(-1);
  return last === undefined ? undefined : loadCheckpoint<S>(join(dir, last));
}

/** Loads one checkpoint directory written by {@link saveCheckpoint}. */
export async function loadCheckpoint<S extends CheckpointableState = CheckpointableState>(path: string): Promise<Checkpoint<S>> {
  const modelJson = JSON.parse(await readFile(join(path, 'model.json'), 'utf8')) as {
    weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
    userDefinedMetadata?: { fedkit?: { numTrainable?: number } };
  };
  const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const bin = await readFile(join(path, 'weights.bin'));
  const all: Float32Array[] = [];
  let at = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') throw new ValueError(`Checkpoint ${path}: weight ${spec.name} has dtype ${spec.dtype}; only float32 is supported.`);
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (at + n * 4 > bin.byteLength) throw new ValueError(`Checkpoint ${path}: weights.bin has ${bin.byteLength} bytes, too few for the manifest (weight ${spec.name}).`);
    all.push(readFloat32(bin, at, n));
    at += n * 4;
  }
  const numTrainable = modelJson.userDefinedMetadata?.fedkit?.numTrainable ?? specs.length;
  const globalModelWeights: ModelWeightArrays = {
    trainable: all.slice(0, numTrainable),
    nonTrainable: all.slice(numTrainable),
    trainableShapes: specs.slice(0, numTrainable).map((s) => [...s.shape]),
    nonTrainableShapes: specs.slice(numTrainable).map((s) => [...s.shape]),
  };
  const stateJson = JSON.parse(await readFile(join(path, 'state.json'), 'utf8')) as { process: unknown; extra: unknown };
  const stateBin = await readFile(join(path, 'state.bin'));
  const decoded = decode({ process: stateJson.process, extra: stateJson.extra }, stateBin) as {
    process: Record<string, unknown>;
    extra: Record<string, unknown>;
  };
  return { state: { ...decoded.process, globalModelWeights } as unknown as S, extra: decoded.extra, path };
}

/** Names of the complete checkpoint directories under `dir`, oldest first. */
export async function listCheckpoints(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return entries.filter((n) => /^round-\d{6}$/.test(n)).sort();
}

async function prune(dir: string, keep: number): Promise<void> {
  const names = await listCheckpoints(dir);
  for (const n of names.slice(0, Math.max(0, names.length - keep))) await rm(join(dir, n), { recursive: true, force: true });
}

function concatFloat32(arrays: readonly Float32Array[]): Uint8Array {
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  // tfjs weight files are little-endian; so is every platform Node runs on that we target.
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function readFloat32(buf: Buffer, byteOffset: number, length: number): Float32Array {
  const copy = new Uint8Array(length * 4);
  copy.set(buf.subarray(byteOffset, byteOffset + length * 4));
  return new Float32Array(copy.buffer);
}

function encode(value: unknown, blobs: Float32Array[], offset: { bytes: number }): unknown {
  if (value instanceof Float32Array) {
    blobs.push(value);
    const tag = { $f32: [offset.bytes, value.length] };
    offset.bytes += value.byteLength;
    return tag;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { $num: String(value) };
  if (Array.isArray(value)) return value.map((v) => encode(v, blobs, offset));
  if (ArrayBuffer.isView(value)) throw new ValueError(`Checkpoints store Float32Arrays only; found a ${value.constructor.name} in the process state.`);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v, blobs, offset)]));
  }
  return value;
}

function decode(value: unknown, bin: Buffer): unknown {
  if (Array.isArray(value)) return value.map((v) => decode(v, bin));
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o['$f32'])) {
      const [at, n] = o['$f32'] as [number, number];
      return readFloat32(bin, at, n);
    }
    if (typeof o['$num'] === 'string') return Number(o['$num']);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v, bin)]));
  }
  return value;
}
