import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';

import { encodeFrames, float32Bytes, float32FromBytes, FrameDecoder, ProtocolError } from './frame-codec.js';
import { clientMessageSchema, PROTOCOL_VERSION } from './protocol-messages.js';

const result = (update: Float32Array[]): object => ({ t: 'result', round: 1, task: 'a', update: update.map(float32Bytes), numExamples: 3, numBatches: 1, updateNonFinite: false, metrics: { loss: [1.5, 3] } });

describe('frame codec', () => {
  it('carries weights as raw float32 bytes, not JSON numbers', () => {
    // Arrange: 3 values -> 12 bytes of payload (+ msgpack framing).
    const [frame] = encodeFrames(result([new Float32Array([0.1, -2, 3.5])]), 1 << 20);

    // Act
    const m = new FrameDecoder(clientMessageSchema, 1 << 20).push(frame!);

    // Assert
    expect(m?.t === 'result' && float32FromBytes(m.update[0]!)).toEqual(new Float32Array([0.1, -2, 3.5]));
    expect(frame!.byteLength).toBeLessThan(120);
  });

  it('splits a message larger than chunkBytes into chunks and joins them on arrival', () => {
    // Arrange: 1,000 floats = 4,000 bytes plus about 100 of msgpack framing, in 1,100-byte chunks -> 4 frames.
    const update = Float32Array.from({ length: 1000 }, (_, i) => i);
    const frames = encodeFrames(result([update]), 1100);
    const decoder = new FrameDecoder(clientMessageSchema, 1 << 20);

    // Act
    const out = frames.map((f) => decoder.push(f));

    // Assert
    expect(frames).toHaveLength(4);
    expect(out.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(out[3]?.t === 'result' && float32FromBytes(out[3].update[0]!)).toEqual(update);
  });

  it('refuses a chunked message past the size limit before holding all of it', () => {
    // Arrange: 40,000 bytes in 1 KiB chunks against a 10,000-byte limit.
    const frames = encodeFrames(result([new Float32Array(10_000)]), 1024);
    const decoder = new FrameDecoder(clientMessageSchema, 10_000);

    // Act
    let error: unknown;
    let pushed = 0;
    try {
      for (const f of frames) {
        decoder.push(f);
        pushed += 1;
      }
    } catch (e) {
      error = e;
    }

    // Assert: the 10th KiB crosses the limit.
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe('too-large');
    expect(pushed).toBe(9);
  });

  it('refuses a frame that is not msgpack, and one that does not match the schema', () => {
    const decoder = new FrameDecoder(clientMessageSchema, 1 << 20);
    expect(() => decoder.push(new Uint8Array([0xc1]))).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => decoder.push(encode({ t: 'hello', v: 'one' }))).toThrow(expect.objectContaining({ code: 'schema' }));
    expect(() => decoder.push(encode({ t: 'launch-missiles' }))).toThrow(expect.objectContaining({ code: 'schema' }));
    expect(decoder.push(encode({ t: 'hello', v: PROTOCOL_VERSION }))).toEqual({ t: 'hello', v: PROTOCOL_VERSION });
  });
});
