import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { ValueError } from '@fedkit/core';
import { afterAll, describe, expect, it } from 'vitest';

import { loadIdx } from './load-idx.js';
import { readIdx } from './read-idx.js';

/** An IDX file: magic 0x0000TTNN, one big-endian uint32 per dimension, then the values. */
function idx(typeCode: number, shape: number[], body: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * shape.length));
  header.setUint8(2, typeCode);
  header.setUint8(3, shape.length);
  shape.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(header.byteLength + body.length);
  out.set(new Uint8Array(header.buffer));
  out.set(body, header.byteLength);
  return out;
}

const ubyte = (shape: number[], values: number[]) => idx(0x08, shape, Uint8Array.from(values));

// 3 training images of 2x2: pixel 255 -> 1, 51 -> 51 / 255 = 0.2; labels 7, 0, 9. 2 test images.
const TRAIN_IMAGES = ubyte([3, 2, 2], [0, 255, 51, 0, 255, 255, 255, 255, 0, 0, 0, 51]);
const TRAIN_LABELS = ubyte([3], [7, 0, 9]);
const TEST_IMAGES = ubyte([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
const TEST_LABELS = ubyte([2], [3, 4]);

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fedkit-idx-'));
  made.push(dir);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

const mnistFiles = (): Record<string, Uint8Array> => ({
  'train-images-idx3-ubyte': TRAIN_IMAGES,
  'train-labels-idx1-ubyte': TRAIN_LABELS,
  't10k-images-idx3-ubyte': TEST_IMAGES,
  't10k-labels-idx1-ubyte': TEST_LABELS,
});

describe('readIdx', () => {
  it('reads the shape and values', () => {
    const dir = folder({ a: TRAIN_LABELS });
    expect(readIdx(join(dir, 'a'))).toEqual({ dtype: 'uint8', shape: [3], data: Uint8Array.from([7, 0, 9]) });
  });

  it('decodes big-endian int32 values', () => {
    // 1 = 00 00 00 01, -2 = FF FF FF FE
    const dir = folder({ a: idx(0x0c, [2], Uint8Array.from([0, 0, 0, 1, 255, 255, 255, 254])) });
    expect([...readIdx(join(dir, 'a')).data]).toEqual([1, -2]);
  });

  it('throws a ValueError naming the file for a wrong magic number', () => {
    const dir = folder({ 'bad.idx': Uint8Array.from([0x3c, 0x68, 0x74, 0x6d, 0x6c, 0x3e]) }); // '<html>'
    expect(() => readIdx(join(dir, 'bad.idx'))).toThrow(ValueError);
    expect(() => readIdx(join(dir, 'bad.idx'))).toThrow(/bad\.idx: wrong magic number 0x3c68746d/);
  });

  it('throws for a truncated file and for trailing data', () => {
    const dir = folder({ short: TRAIN_IMAGES.subarray(0, TRAIN_IMAGES.length - 1), long: Uint8Array.from([...TRAIN_LABELS, 0]), tiny: Uint8Array.from([0, 0]) });
    // header 4 + 3*4 = 16 bytes + 12 pixels = 28 expected, 27 found
    expect(() => readIdx(join(dir, 'short'))).toThrow(/short: truncated IDX file.*28 bytes in all\), found 27/);
    expect(() => readIdx(join(dir, 'long'))).toThrow(/long: IDX file has trailing data/);
    expect(() => readIdx(join(dir, 'tiny'))).toThrow(/tiny: truncated/);
  });

  it('throws for corrupt gzip data', () => {
    const gz = gzipSync(TRAIN_IMAGES);
    const dir = folder({ 'cut.gz': gz.subarray(0, gz.length - 6) });
    expect(() => readIdx(join(dir, 'cut.gz'))).toThrow(/cut\.gz: corrupt or truncated gzip/);
  });
});

describe('loadIdx', () => {
  it('reads train and test, scaling pixels to [0, 1]', () => {
    const { train, test, numClasses } = loadIdx(folder(mnistFiles()));
    expect(numClasses).toBe(10);
    expect(train.numExamples).toBe(3);
    expect(train.exampleShape).toEqual([2, 2]);
    expect([...train.y]).toEqual([7, 0, 9]);
    expect(train.x[1]).toBe(1);
    expect(train.x[2]).toBeCloseTo(0.2, 6);
    expect([...test.y]).toEqual([3, 4]);
    expect(test.x.length).toBe(8);
  });

  it('reads gzipped files the same way', () => {
    const gz = Object.fromEntries(Object.entries(mnistFiles()).map(([n, b]) => [`${n}.gz`, gzipSync(b)]));
    const plain = loadIdx(folder(mnistFiles()));
    expect(loadIdx(folder(gz))).toEqual(plain);
  });

  it('throws when image and label counts differ', () => {
    const dir = folder({ ...mnistFiles(), 'train-labels-idx1-ubyte': ubyte([2], [1, 2]) });
    expect(() => loadIdx(dir)).toThrow(/train-labels-idx1-ubyte: holds 2 labels but .*train-images-idx3-ubyte holds 3 images/);
  });

  it('throws for a label out of range, unless numClasses allows it', () => {
    const dir = folder({ ...mnistFiles(), 't10k-labels-idx1-ubyte': ubyte([2], [3, 10]) });
    expect(() => loadIdx(dir)).toThrow(/t10k-labels-idx1-ubyte: label 10 of example 1 is outside \[0, 10\)/);
    expect(loadIdx(dir, { numClasses: 11 }).test.y[1]).toBe(10);
  });

  it('throws naming the file for a corrupt member', () => {
    const dir = folder({ ...mnistFiles(), 't10k-images-idx3-ubyte': TEST_IMAGES.subarray(0, 20) });
    expect(() => loadIdx(dir)).toThrow(/t10k-images-idx3-ubyte: truncated/);
  });

  it('throws for a missing file', () => {
    const files = mnistFiles();
    delete files['t10k-labels-idx1-ubyte'];
    expect(() => loadIdx(folder(files))).toThrow(/no test-labels file/);
  });

  it('asks for a prefix when a folder holds several data sets, and uses it', () => {
    const dir = folder(mnistFiles());
    for (const [n, b] of Object.entries(mnistFiles())) writeFileSync(join(dir, `emnist-digits-${n.replace('t10k', 'test')}`), b);
    expect(() => loadIdx(dir)).toThrow(/prefix/);
    expect(loadIdx(dir, { prefix: 'emnist-digits-' }).train.numExamples).toBe(3);
  });
});
