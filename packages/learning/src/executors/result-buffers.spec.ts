import { describe, expect, it } from 'vitest';

import { recycleLent, ResultBuffers } from './result-buffers.js';

const update = (...values: number[][]): Float32Array[] => values.map((v) => Float32Array.from(v));

describe('ResultBuffers', () => {
  it('lends copies with the same lengths and values, all in one shared buffer', () => {
    const buffers = new ResultBuffers();
    const source = update([1, 2, 3], [4]);
    const lent = buffers.lend(source)!;
    expect(lent.map((a) => Array.from(a))).toEqual([[1, 2, 3], [4]]);
    expect(lent[0]!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(lent[1]!.buffer).toBe(lent[0]!.buffer);
    source[0]![0] = 99;
    expect(lent[0]![0]).toBe(1);
  });

  it('never writes into a lent buffer: a second result gets another one', () => {
    const buffers = new ResultBuffers();
    const first = buffers.lend(update([1, 2]))!;
    const second = buffers.lend(update([3, 4]))!;
    expect(second[0]!.buffer).not.toBe(first[0]!.buffer);
    expect(Array.from(first[0]!)).toEqual([1, 2]);
    expect(buffers.lentCount).toBe(2);
  });

  it('reuses a buffer once it is recycled', () => {
    const buffers = new ResultBuffers();
    const first = buffers.lend(update([1, 2]))!;
    recycleLent(first);
    const second = buffers.lend(update([5, 6]))!;
    expect(second[0]!.buffer).toBe(first[0]!.buffer);
    expect(Array.from(second[0]!)).toEqual([5, 6]);
    expect(buffers.lentCount).toBe(1);
  });

  it('lendEmpty gives views of the asked lengths over one lent buffer, to be written before it is posted', () => {
    const buffers = new ResultBuffers();
    const views = buffers.lendEmpty([3, 1])!;
    expect(views.map((v) => v.length)).toEqual([3, 1]);
    expect(views[1]!.buffer).toBe(views[0]!.buffer);
    expect(buffers.lentCount).toBe(1);
    recycleLent(views);
    expect(buffers.lend(update([7, 8, 9], [1]))![0]!.buffer).toBe(views[0]!.buffer);
  });

  it('lends nothing past its caps (the caller then transfers the arrays)', () => {
    // 16 header bytes + 2 floats = 24 bytes per buffer.
    const byBytes = new ResultBuffers(48, 16);
    expect(byBytes.lend(update([1, 2]))).toBeDefined();
    expect(byBytes.lend(update([1, 2]))).toBeDefined();
    expect(byBytes.lend(update([1, 2]))).toBeUndefined();
    const byCount = new ResultBuffers(1 << 20, 1);
    expect(byCount.lend(update([1, 2]))).toBeDefined();
    expect(byCount.lend(update([1, 2]))).toBeUndefined();
  });

  it('lends nothing for a result without arrays', () => {
    expect(new ResultBuffers().lend([])).toBeUndefined();
  });

  it('recycleLent refuses arrays it did not lend', () => {
    expect(() => recycleLent(update([1]))).toThrow(/expects the arrays of a lent result/);
    expect(() => recycleLent([])).toThrow(TypeError);
  });
});
