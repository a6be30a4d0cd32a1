import { describe, expect, it } from 'vitest';

import { packArrays, unpackArrays } from './packed-arrays.js';

describe('packArrays / unpackArrays', () => {
  it('round-trips a header and float32 arrays bit for bit, NaN and -0 included', () => {
    const a = new Float32Array([1.5, -0, Number.NaN]);
    const b = new Float32Array([3.4028234663852886e38, 1e-45]);
    const { header, arrays } = unpackArrays<{ round: number }>(packArrays({ round: 7 }, [a, b]));
    expect(header).toEqual({ round: 7 });
    expect(Buffer.from(arrays[0]!.buffer)).toEqual(Buffer.from(a.buffer));
    expect(Buffer.from(arrays[1]!.buffer)).toEqual(Buffer.from(b.buffer));
  });

  it('stores the values as binary: 4 bytes per float after the header', () => {
    const packed = packArrays(null, [new Float32Array(1000)]);
    const headerBytes = packed.readUInt32LE(0);
    expect(packed.length).toBe(4 + headerBytes + 4000);
  });

  it('refuses a truncated value', () => {
    const packed = packArrays(null, [new Float32Array(10)]);
    expect(() => unpackArrays(packed.subarray(0, packed.length - 4))).toThrow(/truncated/);
  });
});
