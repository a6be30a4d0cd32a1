/**
 * @packageDocumentation
 * The browser client's data file: one client's examples as a single binary
 * file a page can `fetch` — a little-endian header of three uint32
 * (magic `FKP1`, number of examples n, values per example d), then n·d
 * float32 features, then n int32 labels.
 */

const MAGIC = 0x3150_4b46; // 'FKP1' read as a little-endian uint32

/** One client's examples. */
export interface PartitionArrays {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly numExamples: number;
  readonly exampleSize: number;
}

/**
 * Encodes examples as a partition file.
 * @example
 * ```ts
 * writeFileSync('part0.bin', encodePartition({ x, y, numExamples: 200, exampleSize: 784 }));
 * ```
 */
export function encodePartition(p: PartitionArrays): Uint8Array {
  if (p.x.length !== p.numExamples * p.exampleSize || p.y.length !== p.numExamples) {
    throw new RangeError(`A partition of ${p.numExamples} examples of ${p.exampleSize} values needs ${p.numExamples * p.exampleSize} features and ${p.numExamples} labels, found ${p.x.length} and ${p.y.length}.`);
  }
  const out = new Uint8Array(12 + p.x.byteLength + p.y.byteLength);
  new Uint32Array(out.buffer, 0, 3).set([MAGIC, p.numExamples, p.exampleSize]);
  out.set(new Uint8Array(p.x.buffer, p.x.byteOffset, p.x.byteLength), 12);
  out.set(new Uint8Array(p.y.buffer, p.y.byteOffset, p.y.byteLength), 12 + p.x.byteLength);
  return out;
}

/**
 * Decodes a partition file.
 * @throws RangeError when the magic or the length does not match.
 */
export function decodePartition(buffer: ArrayBuffer): PartitionArrays {
  const [magic, n, d] = new Uint32Array(buffer, 0, 3);
  if (magic !== MAGIC) throw new RangeError('This is not a fedkit partition file (bad magic); make it with encodePartition.');
  if (buffer.byteLength !== 12 + n! * d! * 4 + n! * 4) throw new RangeError(`A partition file of ${n} examples × ${d} values must have ${12 + n! * d! * 4 + n! * 4} bytes, found ${buffer.byteLength}.`);
  return { x: new Float32Array(buffer, 12, n! * d!), y: new Int32Array(buffer, 12 + n! * d! * 4, n!), numExamples: n!, exampleSize: d! };
}
