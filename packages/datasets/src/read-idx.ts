import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

import { ValueError } from '@fedkit/core';

/** The element types of the IDX format. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The contents of one IDX file: its dimensions and its values in row-major order. */
export interface IdxArray {
  readonly dtype: IdxDtype;
  readonly shape: readonly number[];
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Readonly<Record<number, { dtype: IdxDtype; bytes: number }>> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

/** Reads a file, gunzipping it when it starts with the gzip magic bytes. */
function readMaybeGzip(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new ValueError(`${path}: cannot be read (${e instanceof Error ? e.message : String(e)}).`, { cause: e });
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw);
    } catch (e) {
      throw new ValueError(
        `${path}: corrupt or truncated gzip data (${e instanceof Error ? e.message : String(e)}); download the file again.`,
        { cause: e },
      );
    }
  }
  return raw;
}

/**
 * Reads one IDX file (the format of MNIST, EMNIST and Fashion-MNIST), plain or
 * gzip-compressed (detected from its first bytes). Multi-byte values are
 * big-endian, as the format specifies.
 *
 * @throws ValueError naming the file for a wrong magic number, an unknown type
 *   code, or a size that does not match the header (truncated or trailing data).
 * @example
 * ```ts
 * readIdx('/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz').shape; // [60000]
 * ```
 */
export function readIdx(path: string): IdxArray {
  const bytes = readMaybeGzip(path);
  if (bytes.length < 4) {
    throw new ValueError(`${path}: truncated IDX file: ${bytes.length} bytes, shorter than the 4-byte magic number.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = TYPES[bytes[2]!];
  const rank = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined || rank === 0) {
    throw new ValueError(
      `${path}: wrong magic number 0x${magic.toString(16).padStart(8, '0')}; an IDX file starts with 0x0000TTNN ` +
        '(TT the type code 08/09/0B/0C/0D/0E, NN the number of dimensions), e.g. 0x00000803 for images and 0x00000801 for labels. ' +
        'Is this an IDX file (not HTML or another format)?',
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new ValueError(`${path}: truncated IDX file: ${bytes.length} bytes, shorter than its ${headerBytes}-byte header.`);
  }
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    const problem = bytes.length < expected ? 'truncated IDX file' : 'IDX file has trailing data';
    throw new ValueError(
      `${path}: ${problem}: its header announces shape [${shape.join(',')}] of ${type.dtype} (${expected} bytes in all), found ${bytes.length} bytes.`,
    );
  }
  return { dtype: type.dtype, shape, data: decode(view, headerBytes, count, type.dtype) };
}

function decode(view: DataView, offset: number, count: number, dtype: IdxDtype): IdxArray['data'] {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 'int8':
      return new Int8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i);
      return out;
    }
  }
}
