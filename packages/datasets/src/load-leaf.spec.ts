import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ValueError } from '@fedkit/core';
import { afterAll, describe, expect, it } from 'vitest';

import { LEAF_CHARACTERS, loadLeaf } from './load-leaf.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fedkit-leaf-'));
  made.push(dir);
  for (const [name, doc] of Object.entries(files)) writeFileSync(join(dir, name), typeof doc === 'string' ? doc : JSON.stringify(doc));
  return dir;
}

// FEMNIST-like: 4 pixels per image, writers split over two files as LEAF does.
const part0 = {
  users: ['w1', 'w2'],
  num_samples: [2, 1],
  user_data: { w1: { x: [[0, 1, 0, 1], [1, 1, 0, 0]], y: [3, 5] }, w2: { x: [[0.5, 0, 0, 0]], y: [61] } },
};
const part1 = { users: ['w3'], num_samples: [1], user_data: { w3: { x: [[1, 1, 1, 1]], y: [0] } } };

describe('loadLeaf', () => {
  it('makes one client per user, in file order', () => {
    const cd = loadLeaf(folder({ 'all_data_0.json': part0, 'all_data_1.json': part1 }), { numClasses: 62 });
    expect(cd.clientIds).toEqual(['w1', 'w2', 'w3']);
    expect(cd.elementSpec.toString()).toBe('<x=float32[4],y=int32[1]>');
    const { x, y } = cd.createDatasetForClient('w1').toArrays();
    expect([...x.data]).toEqual([0, 1, 0, 1, 1, 1, 0, 0]);
    expect([...y.data]).toEqual([3, 5]);
  });

  it('encodes text with LEAF character ids and unknown characters as vocabulary.length', () => {
    // LEAF_CHARACTERS: '\n' 0, ' ' 1, ..., 'A'..'Z' 25..50, '[' 51, ']' 52, 'a' 53, 'b' 54, 'c' 55, ..., '}' 79
    expect(LEAF_CHARACTERS).toHaveLength(80);
    const doc = { users: ['ROMEO'], num_samples: [2], user_data: { ROMEO: { x: ['ab', 'b@'], y: ['c', 'a'] } } };
    const cd = loadLeaf(folder({ 'shakespeare.json': doc }));
    expect(cd.elementSpec.toString()).toBe('<x=int32[2],y=int32[1]>');
    const { x, y } = cd.createDatasetForClient('ROMEO').toArrays();
    // '@' is not in the vocabulary -> 80
    expect([...x.data]).toEqual([53, 54, 54, 80]);
    expect([...y.data]).toEqual([55, 53]);
  });

  it('throws naming the file for truncated JSON', () => {
    const text = JSON.stringify(part0);
    const dir = folder({ 'cut.json': text.slice(0, text.length - 10) });
    expect(() => loadLeaf(dir)).toThrow(ValueError);
    expect(() => loadLeaf(dir)).toThrow(/cut\.json: not valid JSON/);
  });

  it('throws when num_samples disagrees with the data', () => {
    const dir = folder({ 'a.json': { ...part0, num_samples: [3, 1] } });
    expect(() => loadLeaf(dir)).toThrow(/a\.json: num_samples says user "w1" has 3 examples but user_data holds 2/);
  });

  it('throws for a label out of range', () => {
    const dir = folder({ 'a.json': part0 });
    // w2's label 61 is outside [0, 10)
    expect(() => loadLeaf(dir, { numClasses: 10 })).toThrow(/a\.json: user "w2": label y\[0\] = 61 is out of range/);
    const negative = { users: ['u'], num_samples: [1], user_data: { u: { x: [[1]], y: [-1] } } };
    expect(() => loadLeaf(folder({ 'n.json': negative }))).toThrow(/out of range/);
  });

  it('throws for missing fields, a user without data, ragged examples and x/y length mismatch', () => {
    expect(() => loadLeaf(folder({ 'a.json': { users: ['u'] } }))).toThrow(/a\.json: expected a LEAF object/);
    expect(() => loadLeaf(folder({ 'a.json': { users: ['u'], user_data: {} } }))).toThrow(/user "u" has no entry/);
    const ragged = { users: ['u'], user_data: { u: { x: [[1, 2], [3]], y: [0, 1] } } };
    expect(() => loadLeaf(folder({ 'a.json': ragged }))).toThrow(/a\.json: user "u": x\[1\] has shape \[1\]/);
    const short = { users: ['u'], user_data: { u: { x: [[1, 2]], y: [0, 1] } } };
    expect(() => loadLeaf(folder({ 'a.json': short }))).toThrow(/1 examples in x but 2 labels/);
  });

  it('throws for users whose shapes differ or who appear in two files', () => {
    const wide = { users: ['w9'], user_data: { w9: { x: [[1, 2]], y: [0] } } };
    expect(() => loadLeaf(folder({ 'a.json': part0, 'b.json': wide }))).toThrow(/user "w9" has elements/);
    expect(() => loadLeaf(folder({ 'a.json': part0, 'b.json': part0 }))).toThrow(/b\.json: user "w1" also appears in/);
  });

  it('throws for a folder without JSON files', () => {
    expect(() => loadLeaf(folder({ 'readme.txt': 'x' }))).toThrow(/holds no \.json files/);
  });
});
