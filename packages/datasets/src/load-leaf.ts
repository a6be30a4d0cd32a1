import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ValueError } from '@fedkit/core';

import { fromClientsAndFn, type ClientData } from './client-data.js';
import { ClientDataset } from './client-dataset.js';
import { flattenNested, type NestedNumbers } from './nested-array.js';

/**
 * The 80 characters of LEAF's Shakespeare task (`ALL_LETTERS` in LEAF's
 * `language_utils.py`); a character's id is its position.
 */
export const LEAF_CHARACTERS = '\n !"&\'(),-.0123456789:;>?ABCDEFGHIJKLMNOPQRSTUVWXYZ[]abcdefghijklmnopqrstuvwxyz}';

/** Options of {@link loadLeaf}. */
export interface LoadLeafOptions {
  /** When given, every label must lie in `[0, numClasses)` (FEMNIST: 62). */
  readonly numClasses?: number;
  /**
   * Characters of text examples; a character's id is its position, and a
   * character not in it gets id `vocabulary.length`. Default {@link LEAF_CHARACTERS}.
   */
  readonly vocabulary?: string;
}

interface UserArrays {
  x: Float32Array | Int32Array;
  y: Int32Array;
  xShape: number[];
  file: string;
}

function encodeText(text: string, vocabulary: ReadonlyMap<string, number>, oov: number): number[] {
  return Array.from(text, (c) => vocabulary.get(c) ?? oov);
}

function readUser(
  file: string,
  user: string,
  raw: { x?: unknown; y?: unknown },
  vocabulary: ReadonlyMap<string, number>,
  oov: number,
  numClasses: number | undefined,
): UserArrays {
  const where = `${file}: user "${user}"`;
  const { x, y } = raw;
  if (!Array.isArray(x) || !Array.isArray(y)) throw new ValueError(`${where}: user_data entry needs arrays x and y.`);
  if (x.length !== y.length) throw new ValueError(`${where}: ${x.length} examples in x but ${y.length} labels in y.`);
  const text = typeof x[0] === 'string';
  const rows: number[][] = [];
  let xShape: number[] | undefined;
  x.forEach((example: unknown, i) => {
    let values: number[];
    let shape: number[];
    if (typeof example === 'string' && text) {
      values = encodeText(example, vocabulary, oov);
      shape = [values.length];
    } else if (Array.isArray(example) && !text) {
      ({ values, shape } = flattenNested(example as NestedNumbers, `${where}, x[${i}]`));
    } else {
      throw new ValueError(`${where}: x[${i}] must be a number array or a string like the user's first example, found ${JSON.stringify(example)?.slice(0, 40)}.`);
    }
    if (xShape === undefined) xShape = shape;
    else if (shape.length !== xShape.length || shape.some((d, j) => d !== xShape![j])) {
      throw new ValueError(`${where}: x[${i}] has shape [${shape.join(',')}] but x[0] has [${xShape.join(',')}]; all examples need one shape.`);
    }
    rows.push(values);
  });
  const labels = y.map((label: unknown, i) => {
    const id = typeof label === 'string' && label.length === 1 ? encodeText(label, vocabulary, oov)[0]! : label;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || (numClasses !== undefined && id >= numClasses)) {
      throw new ValueError(
        `${where}: label y[${i}] = ${JSON.stringify(label)} is out of range; expected an integer in [0, ${numClasses ?? 'numClasses'}) or a single character.`,
      );
    }
    return id;
  });
  const size = xShape === undefined ? 0 : xShape.reduce((a, b) => a * b, 1);
  const data = text ? new Int32Array(rows.length * size) : new Float32Array(rows.length * size);
  rows.forEach((r, i) => data.set(r, i * size));
  return { x: data, y: Int32Array.from(labels), xShape: xShape ?? [], file };
}

/**
 * Reads one split (e.g. `data/femnist/data/train`) of a LEAF benchmark: every
 * `*.json` file of `dir`, each `{ users, num_samples, user_data: { [user]: { x, y } } }`.
 * Users (FEMNIST's writers, Shakespeare's roles) become the clients, in file
 * order. Numeric examples (FEMNIST's 784 pixels) become float32; text examples
 * (Shakespeare's 80 characters) become int32 character ids, as do
 * single-character labels; labels are int32 of per-example shape `[1]`.
 * Everything is converted when loaded; datasets are then built lazily per user.
 *
 * Porting note: LEAF maps an unknown character to -1 (`str.find`); fedkit uses
 * `vocabulary.length` so that ids stay valid embedding indices.
 *
 * @throws ValueError naming the file for invalid or truncated JSON, a missing
 *   field, `num_samples` that disagree with the data, ragged examples, a label
 *   out of range, or a user that appears in two files.
 * @example
 * ```ts
 * const train = loadLeaf('leaf/data/femnist/data/train', { numClasses: 62 });
 * train.elementSpec.toString(); // '<x=float32[784],y=int32[1]>'
 * ```
 */
export function loadLeaf(dir: string, options: LoadLeafOptions = {}): ClientData {
  const vocab = options.vocabulary ?? LEAF_CHARACTERS;
  const vocabulary = new Map(Array.from(vocab, (c, i) => [c, i] as const));
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (e) {
    throw new ValueError(`loadLeaf: cannot list ${dir} (${e instanceof Error ? e.message : String(e)}).`, { cause: e });
  }
  if (files.length === 0) throw new ValueError(`loadLeaf: ${dir} holds no .json files; point it at a LEAF split folder such as data/train.`);
  const users = new Map<string, UserArrays>();
  for (const name of files) {
    const file = join(dir, name);
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ValueError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)}); the file may be truncated.`, { cause: e });
    }
    const { users: ids, num_samples: numSamples, user_data: userData } = (doc ?? {}) as Record<string, unknown>;
    if (!Array.isArray(ids) || typeof userData !== 'object' || userData === null) {
      throw new ValueError(`${file}: expected a LEAF object { users: [...], num_samples: [...], user_data: {...} }.`);
    }
    if (numSamples !== undefined && (!Array.isArray(numSamples) || numSamples.length !== ids.length)) {
      throw new ValueError(`${file}: num_samples must list one count per user (${ids.length} users).`);
    }
    ids.forEach((user: unknown, i) => {
      if (typeof user !== 'string') throw new ValueError(`${file}: users[${i}] is not a string.`);
      const raw = (userData as Record<string, unknown>)[user];
      if (typeof raw !== 'object' || raw === null) throw new ValueError(`${file}: user "${user}" has no entry in user_data.`);
      const previous = users.get(user);
      if (previous !== undefined) throw new ValueError(`${file}: user "${user}" also appears in ${previous.file}; each user must be in one file.`);
      const arrays = readUser(file, user, raw as { x?: unknown; y?: unknown }, vocabulary, vocab.length, options.numClasses);
      const declared = (numSamples as unknown[] | undefined)?.[i];
      if (declared !== undefined && declared !== arrays.y.length) {
        throw new ValueError(`${file}: num_samples says user "${user}" has ${String(declared)} examples but user_data holds ${arrays.y.length}.`);
      }
      users.set(user, arrays);
    });
  }
  if (users.size === 0) throw new ValueError(`loadLeaf: the files of ${dir} list no users.`);
  const datasets = new Map<string, () => ClientDataset>();
  let reference: { user: string; spec: string } | undefined;
  for (const [user, a] of users) {
    const make = () => ClientDataset.fromArrays(a.x, a.y, { xShape: a.xShape, yShape: [1] });
    if (a.y.length > 0) {
      const spec = make().elementSpec.toString();
      if (reference === undefined) reference = { user, spec };
      else if (spec !== reference.spec) {
        throw new ValueError(`${a.file}: user "${user}" has elements ${spec} but user "${reference.user}" has ${reference.spec}; all users need one shape.`);
      }
    }
    datasets.set(user, make);
  }
  if (reference === undefined) throw new ValueError(`loadLeaf: no user in ${dir} has any example.`);
  // Users without examples cannot be read with the shared spec; they are kept and yield nothing.
  const ids = [...users.keys()];
  const spec = datasets.get(reference.user)!().elementSpec;
  return fromClientsAndFn(
    ids,
    (id) => {
      const a = users.get(id)!;
      return a.y.length > 0 ? datasets.get(id)!() : ClientDataset.empty(spec);
    },
    spec,
  );
}
