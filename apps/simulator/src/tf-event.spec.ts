import { describe, expect, it } from 'vitest';

import { decodeEvent, encodeEvent } from './tf-event.js';

describe('encodeEvent', () => {
  it('encodes wall_time, step and one scalar exactly as protobuf does (hand-encoded bytes)', () => {
    const bytes = encodeEvent({ wallTime: 1.5, step: 3, scalars: [{ tag: 'a', value: 0.5 }] });
    expect([...bytes]).toEqual([
      // field 1 (wall_time), wire type 1 (64-bit): key 0x09, then 1.5 as a little-endian double (0x3FF8000000000000).
      0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f,
      // field 2 (step), wire type 0 (varint): key 0x10, value 3.
      0x10, 0x03,
      // field 5 (summary), wire type 2: key 0x2a, length 10.
      0x2a, 0x0a,
      // Summary field 1 (value), wire type 2: key 0x0a, length 8.
      0x0a, 0x08,
      // Value field 1 (tag) "a": key 0x0a, length 1, 0x61; field 2 (simple_value), wire type 5: key 0x15, 0.5f = 0x3F000000.
      0x0a, 0x01, 0x61, 0x15, 0x00, 0x00, 0x00, 0x3f,
    ]);
  });

  it('encodes the file_version event as field 3 and leaves out step 0', () => {
    const bytes = encodeEvent({ wallTime: 0, step: 0, fileVersion: 'brain.Event:2' });
    expect([...bytes.subarray(9)]).toEqual([0x1a, 13, ...new TextEncoder().encode('brain.Event:2')]);
  });

  it('writes a step of 300 as a two-byte varint (0xAC 0x02)', () => {
    const bytes = encodeEvent({ wallTime: 0, step: 300, scalars: [] });
    expect([...bytes.subarray(9, 12)]).toEqual([0x10, 0xac, 0x02]);
  });
});

describe('decodeEvent', () => {
  it('reads back what encodeEvent wrote (float32 values rounded as TensorBoard stores them)', () => {
    const event = { wallTime: 1_764_000_000.25, step: 200, scalars: [{ tag: 'train/loss', value: 0.1 }, { tag: 'eval/accuracy', value: 0.946 }] };
    const back = decodeEvent(encodeEvent(event));
    expect(back.wallTime).toBe(1_764_000_000.25);
    expect(back.step).toBe(200);
    expect(back.scalars).toEqual([{ tag: 'train/loss', value: Math.fround(0.1) }, { tag: 'eval/accuracy', value: Math.fround(0.946) }]);
  });

  it('skips fields it does not know (here a tagged_run_metadata, field 8)', () => {
    const known = encodeEvent({ wallTime: 2, step: 1, scalars: [{ tag: 'x', value: 1 }] });
    const withUnknown = Uint8Array.from([0x42, 0x02, 0x01, 0x02, ...known]);
    expect(decodeEvent(withUnknown)).toEqual(decodeEvent(known));
  });

  it('rejects a message cut inside a field', () => {
    const bytes = encodeEvent({ wallTime: 2, step: 1, scalars: [{ tag: 'x', value: 1 }] });
    expect(() => decodeEvent(bytes.subarray(0, bytes.length - 2))).toThrow(/runs past the end/);
  });
});
