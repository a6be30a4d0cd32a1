import { describe, expect, it } from 'vitest';

import { parseCheckOptions } from './check-options.js';

describe('parseCheckOptions', () => {
  it('defaults to the full run on every part and both backends', () => {
    const o = parseCheckOptions(['--out', 'r']);
    expect(o.parts).toEqual(['adapter', 'numeric', 'throughput', 'rounds']);
    expect(o.backends).toEqual(['wasm', 'webgpu']);
    // The sizes: batches 10/64/256, 10 and 100 clients per round.
    expect(o.batches).toEqual([10, 64, 256]);
    expect(o.clients).toEqual([10, 100]);
    expect(o.wasmClients).toEqual([10]);
  });

  it('starts --quick from the small preset, and later flags override single sizes', () => {
    const o = parseCheckOptions(['--out', 'r', '--quick', '--clients', '3,5', '--skip', 'rounds,throughput']);
    expect(o.batches).toEqual([10]);
    expect(o.clients).toEqual([3, 5]);
    expect(o.parts).toEqual(['adapter', 'numeric']);
  });

  it('keeps only the parts and backends named', () => {
    const o = parseCheckOptions(['--only', 'numeric', '--backends', 'webgpu', '--out', 'r', '--no-wasm-rounds']);
    expect(o.parts).toEqual(['numeric']);
    expect(o.backends).toEqual(['webgpu']);
    expect(o.wasmClients).toEqual([]);
  });

  it('throws RangeError on an unknown flag, a missing value, a bad part or a bad size', () => {
    expect(() => parseCheckOptions(['--out', 'r', '--fast'])).toThrow(/Unknown flag --fast/);
    expect(() => parseCheckOptions(['--out'])).toThrow(/--out expects a value/);
    expect(() => parseCheckOptions(['--out', 'r', '--only', 'speed'])).toThrow(/found "speed"/);
    expect(() => parseCheckOptions(['--out', 'r', '--batches', '10,0'])).toThrow(/positive integer, found "0"/);
    expect(() => parseCheckOptions(['--out', 'r', '--backends', 'cuda'])).toThrow(RangeError);
    expect(() => parseCheckOptions(['--quick'])).toThrow(/--out DIR is required/);
  });
});
