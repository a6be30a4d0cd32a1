import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { ValueError } from '@fedkit/core';

import type { LabeledArrays, TrainTestArrays } from './labeled-arrays.js';
import { readIdx } from './read-idx.js';

/** Options of {@link loadIdx}. */
export interface LoadIdxOptions {
  /** Labels must lie in `[0, numClasses)`. Default 10 (MNIST, Fashion-MNIST); EMNIST balanced 47, byclass 62, letters 27. */
  readonly numClasses?: number;
  /** File-name prefix when a folder holds several data sets, e.g. `'emnist-digits-'`. */
  readonly prefix?: string;
}

type Role = 'train-images' | 'train-labels' | 'test-images' | 'test-labels';

const PATTERNS: Readonly<Record<Role, RegExp>> = {
  'train-images': /^(.*)train-images[-.]idx3-ubyte(\.gz)?$/,
  'train-labels': /^(.*)train-labels[-.]idx1-ubyte(\.gz)?$/,
  'test-images': /^(.*)(?:t10k|test)-images[-.]idx3-ubyte(\.gz)?$/,
  'test-labels': /^(.*)(?:t10k|test)-labels[-.]idx1-ubyte(\.gz)?$/,
};

function findFile(dir: string, files: readonly string[], role: Role, prefix: string | undefined): string {
  const matches = files.filter((f) => {
    const m = PATTERNS[role].exec(f);
    return m !== null && (prefix === undefined || m[1] === prefix);
  });
  const prefixes = new Set(matches.map((f) => PATTERNS[role].exec(f)![1]));
  if (matches.length === 0) {
    throw new ValueError(
      `loadIdx: no ${role} file in ${dir}${prefix === undefined ? '' : ` with prefix '${prefix}'`}; expected a name like ` +
        `'${role === 'test-images' ? 't10k-images-idx3-ubyte' : role === 'test-labels' ? 't10k-labels-idx1-ubyte' : `${role}-idx${role.endsWith('images') ? 3 : 1}-ubyte`}[.gz]'.`,
    );
  }
  if (prefixes.size > 1) {
    throw new ValueError(
      `loadIdx: ${dir} holds several ${role} files (${matches.join(', ')}); choose one with the prefix option, e.g. { prefix: '${[...prefixes][0]}' }.`,
    );
  }
  // The same file plain and gzipped: read the plain one (faster).
  return join(dir, matches.find((f) => !f.endsWith('.gz')) ?? matches[0]!);
}

function loadSplit(imagesPath: string, labelsPath: string, numClasses: number): LabeledArrays {
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (images.shape.length < 2) {
    throw new ValueError(`${imagesPath}: expected images with at least 2 dimensions [count, ...], found shape [${images.shape.join(',')}].`);
  }
  if (labels.shape.length !== 1 || !(labels.dtype === 'uint8' || labels.dtype === 'int8' || labels.dtype === 'int16' || labels.dtype === 'int32')) {
    throw new ValueError(`${labelsPath}: expected one integer label per image (shape [count]), found ${labels.dtype} of shape [${labels.shape.join(',')}].`);
  }
  const count = images.shape[0]!;
  if (labels.shape[0] !== count) {
    throw new ValueError(`${labelsPath}: holds ${labels.shape[0]} labels but ${imagesPath} holds ${count} images; the two files must come from the same release.`);
  }
  const y = new Int32Array(labels.data.length);
  y.set(labels.data as ArrayLike<number>);
  const bad = y.findIndex((l) => l < 0 || l >= numClasses);
  if (bad >= 0) {
    throw new ValueError(
      `${labelsPath}: label ${y[bad]} of example ${bad} is outside [0, ${numClasses}); pass numClasses for data sets with more classes (e.g. { numClasses: 47 } for EMNIST balanced).`,
    );
  }
  // Grey levels 0..255 become [0, 1], the scale of loadMnist; other types keep their values.
  // A plain loop: Float32Array.from with a map callback took 12 s for Fashion-MNIST's 47 M pixels, this 0.2 s.
  const x = new Float32Array(images.data.length);
  const divisor = images.dtype === 'uint8' ? 255 : 1;
  for (let i = 0; i < x.length; i++) x[i] = images.data[i]! / divisor;
  return { x, y, numExamples: count, exampleShape: images.shape.slice(1) };
}

/**
 * Reads an MNIST-format data set from a folder of IDX files:
 * `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`
 * and `t10k-labels-idx1-ubyte` (or `test-...`), each optionally `.gz`. This
 * covers full MNIST, Fashion-MNIST (Debian's `dataset-fashion-mnist` package
 * installs it in `/usr/share/datasets/fashion-mnist`) and EMNIST (with `prefix`
 * and `numClasses`). Pixels (uint8) are scaled to [0, 1]; `exampleShape` is the
 * files' image shape (`[28, 28]`), and any shape with the same size (`[784]`,
 * `[28, 28, 1]`) can be used with `clientDataFromPartition`.
 *
 * @throws ValueError naming the file for a missing, truncated or corrupt file, a
 *   wrong magic number, image/label counts that differ, or a label out of range.
 * @example
 * ```ts
 * const { train, test } = loadIdx('/usr/share/datasets/fashion-mnist');
 * train.numExamples; // 60000
 * ```
 */
export function loadIdx(dir: string, options: LoadIdxOptions = {}): TrainTestArrays {
  const numClasses = options.numClasses ?? 10;
  if (!(Number.isInteger(numClasses) && numClasses >= 1)) {
    throw new ValueError(`loadIdx expects numClasses as a positive integer, found ${String(numClasses)}.`);
  }
  let files: string[];
  try {
    files = readdirSync(dir).sort();
  } catch (e) {
    throw new ValueError(`loadIdx: cannot list ${dir} (${e instanceof Error ? e.message : String(e)}).`, { cause: e });
  }
  const path = (role: Role) => findFile(dir, files, role, options.prefix);
  return {
    train: loadSplit(path('train-images'), path('train-labels'), numClasses),
    test: loadSplit(path('test-images'), path('test-labels'), numClasses),
    numClasses,
  };
}
