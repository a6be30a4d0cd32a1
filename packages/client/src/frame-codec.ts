import { decode, encode } from '@msgpack/msgpack';
import type { z } from 'zod';

import { chunkSchema, type ChunkMessage } from './protocol-messages.js';

/** A frame that broke a protocol rule: not msgpack, not a known message, or over a limit. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    message: string,
    /** Short machine-readable reason: `malformed`, `schema`, `too-large`, `chunks`. */
    readonly code: string,
  ) {
    super(message);
  }
}

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  // Weights are raw little-endian words; a big-endian host would need byte swaps that nothing here does.
  throw new Error('@fedkit/client needs a little-endian host: weights travel as little-endian float32 bytes.');
}

/** The bytes of a float32 array (little-endian), sharing its memory. */
export function float32Bytes(a: Float32Array | Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * A float32 array from received bytes (copied: msgpack's views may be unaligned).
 * @throws ProtocolError when the byte count is not a multiple of 4.
 */
export function float32FromBytes(b: Uint8Array): Float32Array {
  if (b.byteLength % 4 !== 0) throw new ProtocolError(`A float32 array must have a multiple of 4 bytes, found ${b.byteLength}.`, 'schema');
  return new Float32Array(b.slice().buffer);
}

/** A uint32 array from received bytes (copied). */
export function uint32FromBytes(b: Uint8Array): Uint32Array {
  if (b.byteLength % 4 !== 0) throw new ProtocolError(`A uint32 array must have a multiple of 4 bytes, found ${b.byteLength}.`, 'schema');
  return new Uint32Array(b.slice().buffer);
}

let nextChunkId = 1;

/**
 * Encodes a message as one msgpack frame, or as `chunk` frames of at most
 * `chunkBytes` payload bytes when it is larger.
 * @example
 * ```ts
 * for (const frame of encodeFrames({ t: 'hello', v: 1 }, 1 << 20)) socket.send(frame);
 * ```
 */
export function encodeFrames(message: object, chunkBytes: number): Uint8Array[] {
  const whole = encode(message);
  if (chunkBytes <= 0 || whole.byteLength <= chunkBytes) return [whole];
  const id = nextChunkId++;
  const n = Math.ceil(whole.byteLength / chunkBytes);
  return Array.from({ length: n }, (_, i) => encode({ t: 'chunk', id, i, n, data: whole.subarray(i * chunkBytes, (i + 1) * chunkBytes) } satisfies ChunkMessage));
}

/**
 * Decodes frames into validated messages, reassembling chunks. A frame that
 * is not msgpack, fails the schema, or makes a message larger than
 * `maxMessageBytes` throws a {@link ProtocolError}; nothing partial is kept.
 */
export class FrameDecoder<T> {
  private pending: { id: number; n: number; parts: Uint8Array[]; bytes: number } | undefined;

  constructor(
    private readonly schema: z.ZodType<T>,
    private readonly maxMessageBytes: number,
  ) {}

  /** The message a frame completes, or undefined while chunks are still arriving. */
  push(frame: Uint8Array): T | undefined {
    if (frame.byteLength > this.maxMessageBytes) throw new ProtocolError(`A frame of ${frame.byteLength} bytes exceeds the limit of ${this.maxMessageBytes}.`, 'too-large');
    const raw = this.decodeRaw(frame);
    if (raw !== null && typeof raw === 'object' && (raw as { t?: unknown }).t === 'chunk') return this.pushChunk(raw);
    return this.validate(raw);
  }

  private pushChunk(raw: unknown): T | undefined {
    const parsed = chunkSchema.safeParse(raw);
    if (!parsed.success) throw new ProtocolError(`A malformed chunk: ${parsed.error.message}`, 'schema');
    const c = parsed.data;
    if (this.pending === undefined || this.pending.id !== c.id) {
      if (c.i !== 0) throw new ProtocolError(`Chunk ${c.i} of message ${c.id} arrived before its first chunk.`, 'chunks');
      this.pending = { id: c.id, n: c.n, parts: [], bytes: 0 };
    }
    const p = this.pending;
    if (c.i !== p.parts.length || c.n !== p.n) {
      this.pending = undefined;
      throw new ProtocolError(`Chunk ${c.i}/${c.n} of message ${c.id} is out of order (expected ${p.parts.length}/${p.n}).`, 'chunks');
    }
    p.bytes += c.data.byteLength;
    if (p.bytes > this.maxMessageBytes) {
      this.pending = undefined;
      throw new ProtocolError(`A chunked message exceeds the limit of ${this.maxMessageBytes} bytes.`, 'too-large');
    }
    p.parts.push(c.data);
    if (p.parts.length < p.n) return undefined;
    this.pending = undefined;
    const whole = new Uint8Array(p.bytes);
    let at = 0;
    for (const part of p.parts) {
      whole.set(part, at);
      at += part.byteLength;
    }
    return this.validate(this.decodeRaw(whole));
  }

  private decodeRaw(frame: Uint8Array): unknown {
    try {
      return decode(frame);
    } catch (e) {
      throw new ProtocolError(`A frame is not valid msgpack: ${e instanceof Error ? e.message : String(e)}`, 'malformed');
    }
  }

  private validate(raw: unknown): T {
    const parsed = this.schema.safeParse(raw);
    if (!parsed.success) {
      const t = raw !== null && typeof raw === 'object' ? String((raw as { t?: unknown }).t) : typeof raw;
      throw new ProtocolError(`A "${t}" message does not match the protocol: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'schema');
    }
    return parsed.data;
  }
}
