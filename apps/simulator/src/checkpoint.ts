import { createHash } from 'node:crypto';
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
  /** Its verified manifest (run id, file sizes and checksums, `meta`). */
  readonly manifest: CheckpointManifest;
  /** Newer checkpoints that failed verification and were passed over, newest first. */
  readonly rejected: readonly RejectedCheckpoint[];
}

/** `manifest.json` of a checkpoint: written last, so that its presence marks a complete checkpoint. */
export interface CheckpointManifest {
  readonly version: 1;
  /** The run that wrote it; pruning only ever deletes checkpoints of the same run. */
  readonly runId: string;
  readonly round: number;
  /** Size in bytes and SHA-256 (hex) of every file of the checkpoint. */
  readonly files: Readonly<Record<string, { readonly bytes: number; readonly sha256: string }>>;
  /** Caller data (the simulator records the content hashes of its task and plugin modules). */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** A checkpoint passed over by {@link loadLatestCheckpoint}, and why. */
export interface RejectedCheckpoint {
  readonly path: string;
  readonly reason: string;
}

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions extends ModelDescription {
  /** How many checkpoints of this run to keep (default 2). */
  readonly keep?: number;
  /** The run id written in the manifest (default `unnamed`); pass one per run so that pruning leaves other runs' checkpoints alone. */
  readonly runId?: string;
  /** Extra data for the manifest. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** How the weights are described in `model.json`. */
export interface ModelDescription {
  /** A Keras model topology (`model.toJSON(null, false)`), so that `tf.loadLayersModel` can rebuild it. */
  readonly modelTopology?: unknown;
  /** One name per weight, trainable then non-trainable (Keras `originalName`s); default `trainable/<i>`. */
  readonly weightNames?: readonly string[];
}

const DIR_PREFIX = 'round-';
const FILES = ['model.json', 'weights.bin', 'state.json', 'state.bin'] as const;
const TMP_PATTERN = /^round-\d{6}\.tmp-(\d+)$/;

/** The SHA-256 of `data` in hex. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

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
 * - `manifest.json`, written last: the run id, and the size and SHA-256 of
 *   every other file, which {@link loadCheckpoint} verifies.
 *
 * The files are written into a temporary directory that is renamed into
 * place, so a crash leaves either the complete checkpoint or a temporary
 * directory, which the next save (or {@link removeStaleTemporaries}) deletes.
 * Keeps the newest `keep` checkpoints of the same run id; checkpoints of
 * another run are never deleted.
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
  options: SaveCheckpointOptions = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await removeStaleTemporaries(dir);
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
  const { globalModelWeights: _weights, ...rest } = state;
  const blobs: Float32Array[] = [];
  const offset = { bytes: 0 };
  const encoded = encode({ process: rest, extra }, blobs, offset);
  const contents: Record<(typeof FILES)[number], Uint8Array | string> = {
    'model.json': JSON.stringify(modelJson),
    'weights.bin': concatFloat32(arrays),
    'state.json': JSON.stringify({ version: 1, round: state.round, ...(encoded as object) }),
    'state.bin': concatFloat32(blobs),
  };
  const files: Record<string, { bytes: number; sha256: string }> = {};
  for (const name of FILES) {
    const data = contents[name];
    await writeFileAtomic(join(tmp, name), data);
    files[name] = { bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength, sha256: sha256Hex(data) };
  }
  const runId = options.runId ?? 'unnamed';
  const manifest: CheckpointManifest = { version: 1, runId, round: state.round, files, ...(options.meta === undefined ? {} : { meta: options.meta }) };
  await writeFileAtomic(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));

  await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
  await prune(dir, runId, options.keep ?? 2);
  return final;
}

/**
 * Loads the newest checkpoint under `dir` (see {@link saveCheckpoint}) that
 * passes verification, or `undefined` when there is none at all. Damaged
 * newer checkpoints are passed over and listed in `rejected`, so that the
 * caller can say so.
 * @throws ValueError when checkpoints exist but none passes verification (each reason listed).
 * @example
 * ```ts
 * const cp = await loadLatestCheckpoint('out/checkpoints');
 * if (cp) state = cp.state;
 * for (const r of cp?.rejected ?? []) console.warn(`skipped ${r.path}: ${r.reason}`);
 * ```
 */
export async function loadLatestCheckpoint<S extends CheckpointableState = CheckpointableState>(dir: string): Promise<Checkpoint<S> | undefined> {
  const names = await listCheckpoints(dir);
  const rejected: RejectedCheckpoint[] = [];
  for (const name of [...names].reverse()) {
    const path = join(dir, name);
    try {
      const cp = await loadCheckpoint<S>(path);
      return { ...cp, rejected };
    } catch (e) {
      rejected.push({ path, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  if (rejected.length === 0) return undefined;
  throw new ValueError(
    `No usable checkpoint in ${dir}: ${rejected.map((r) => r.reason.replace(/\.$/, '')).join(' | ')}. ` +
      'Restore the folder from a backup, or start a new run in another --out directory.',
  );
}

/**
 * Reads and checks the manifest of a checkpoint directory, then verifies the
 * size and SHA-256 of each file it lists.
 * @throws ValueError naming the file and what differs.
 */
export async function verifyCheckpoint(path: string): Promise<{ manifest: CheckpointManifest; files: Record<string, Buffer> }> {
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(await readFile(join(path, 'manifest.json'), 'utf8')) as CheckpointManifest;
  } catch (e) {
    throw new ValueError(`Checkpoint ${path} has no readable manifest.json (${(e as Error).message}); it is incomplete, damaged or from an older fedkit.`);
  }
  if (manifest === null || typeof manifest !== 'object' || typeof manifest.runId !== 'string' || typeof manifest.files !== 'object' || manifest.files === null) {
    throw new ValueError(`Checkpoint ${path}: manifest.json lacks runId or files; expected the manifest saveCheckpoint writes.`);
  }
  const files: Record<string, Buffer> = {};
  for (const name of FILES) {
    const expected = manifest.files[name];
    if (expected === undefined) throw new ValueError(`Checkpoint ${path}: manifest.json does not list ${name}.`);
    let data: Buffer;
    try {
      data = await readFile(join(path, name));
    } catch (e) {
      throw new ValueError(`Checkpoint ${path}: ${name} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
    if (data.byteLength !== expected.bytes) {
      throw new ValueError(`Checkpoint ${path}: ${name} has ${data.byteLength} bytes, the manifest says ${expected.bytes} (truncated or overwritten).`);
    }
    if (sha256Hex(data) !== expected.sha256) throw new ValueError(`Checkpoint ${path}: ${name} does not match its SHA-256 in manifest.json (the file is corrupted).`);
    files[name] = data;
  }
  return { manifest, files };
}

/** Reads a checkpoint's manifest without verifying its files, or `undefined` when it has none. */
export async function readCheckpointManifest(path: string): Promise<CheckpointManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(path, 'manifest.json'), 'utf8')) as CheckpointManifest;
  } catch {
    return undefined;
  }
}

/**
 * Loads one checkpoint directory written by {@link saveCheckpoint}, after
 * verifying its manifest.
 * @throws ValueError for a missing or mismatching file, or non-finite weights.
 */
export async function loadCheckpoint<S extends CheckpointableState = CheckpointableState>(path: string): Promise<Checkpoint<S>> {
  const { manifest, files } = await verifyCheckpoint(path);
  const modelJson: {
    weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
    userDefinedMetadata?: { fedkit?: { numTrainable?: number } };
  } = JSON.parse(files['model.json']!.toString('utf8'));
  const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const bin = files['weights.bin']!;
  const all: Float32Array[] = [];
  let at = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') throw new ValueError(`Checkpoint ${path}: weight ${spec.name} has dtype ${spec.dtype}; only float32 is supported.`);
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (at + n * 4 > bin.byteLength) throw new ValueError(`Checkpoint ${path}: weights.bin has ${bin.byteLength} bytes, too few for the manifest (weight ${spec.name}).`);
    const values = readFloat32(bin, at, n);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ValueError(`Checkpoint ${path}: weight ${spec.name} holds ${values[bad]} at index ${bad}; a checkpoint with non-finite weights is refused (the run diverged or the file is damaged).`);
    all.push(values);
    at += n * 4;
  }
  const numTrainable = modelJson.userDefinedMetadata?.fedkit?.numTrainable ?? specs.length;
  const globalModelWeights: ModelWeightArrays = {
    trainable: all.slice(0, numTrainable),
    nonTrainable: all.slice(numTrainable),
    trainableShapes: specs.slice(0, numTrainable).map((s) => [...s.shape]),
    nonTrainableShapes: specs.slice(numTrainable).map((s) => [...s.shape]),
  };
  const stateJson = JSON.parse(files['state.json']!.toString('utf8')) as { process: unknown; extra: unknown };
  const stateBin = files['state.bin']!;
  const decoded = decode({ process: stateJson.process, extra: stateJson.extra }, stateBin) as {
    process: Record<string, unknown>;
    extra: Record<string, unknown>;
  };
  return { state: { ...decoded.process, globalModelWeights } as unknown as S, extra: decoded.extra, path, manifest, rejected: [] };
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

/**
 * Deletes the temporary directories of checkpoints whose writer is gone (a
 * crash mid-save); those of a live process are left alone.
 */
export async function removeStaleTemporaries(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const removed: string[] = [];
  for (const n of entries) {
    const m = TMP_PATTERN.exec(n);
    const pid = Number(m?.[1]);
    if (m === null || pid === process.pid || isAlive(pid)) continue;
    await rm(join(dir, n), { recursive: true, force: true });
    removed.push(n);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Only checkpoints whose manifest names this run are candidates: another run's (or an unreadable one) is never deleted.
async function prune(dir: string, runId: string, keep: number): Promise<void> {
  const ours: string[] = [];
  for (const n of await listCheckpoints(dir)) if ((await readCheckpointManifest(join(dir, n)))?.runId === runId) ours.push(n);
  for (const n of ours.slice(0, Math.max(0, ours.length - keep))) await rm(join(dir, n), { recursive: true, force: true });
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
      if (at + n * 4 > bin.byteLength) throw new ValueError(`Checkpoint state.bin has ${bin.byteLength} bytes; state.json needs ${at + n * 4}.`);
      return readFloat32(bin, at, n);
    }
    if (typeof o['$num'] === 'string') return Number(o['$num']);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v, bin)]));
  }
  return value;
}
