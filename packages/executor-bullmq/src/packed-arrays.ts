/**
 * Float32 arrays packed into one binary value (a Redis string): a 4-byte
 * little-endian header length, a JSON header, then the arrays' bytes
 * back to back. Weights and updates travel this way, never as JSON numbers.
 */

/** Packs `header` (plain JSON) and `arrays` into one Buffer. */
export function packArrays(header: unknown, arrays: readonly Float32Array[]): Buffer {
  const json = Buffer.from(JSON.stringify({ header, lengths: arrays.map((a) => a.length) }), 'utf8');
  // Padding keeps the arrays 4-byte aligned, so that the reader can copy them in one go.
  const pad = (4 - ((4 + json.length) % 4)) % 4;
  const total = 4 + json.length + pad + arrays.reduce((s, a) => s + a.byteLength, 0);
  const out = Buffer.alloc(total);
  out.writeUInt32LE(json.length + pad, 0);
  json.copy(out, 4);
  out.fill(0x20, 4 + json.length, 4 + json.length + pad);
  let at = 4 + json.length + pad;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return out;
}

/**
 * Reads what {@link packArrays} wrote; the arrays are fresh copies (they own their memory).
 * @throws RangeError when the value is truncated.
 */
export function unpackArrays<H>(buf: Uint8Array): { header: H; arrays: Float32Array[] } {
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.length < 4) throw new RangeError(`A packed value needs at least 4 bytes; found ${view.length}.`);
  const headerBytes = view.readUInt32LE(0);
  if (4 + headerBytes > view.length) throw new RangeError(`A packed value announces a ${headerBytes}-byte header but has ${view.length} bytes.`);
  const { header, lengths } = JSON.parse(view.toString('utf8', 4, 4 + headerBytes)) as { header: H; lengths: number[] };
  const arrays: Float32Array[] = [];
  let at = 4 + headerBytes;
  for (const n of lengths) {
    if (at + n * 4 > view.length) throw new RangeError(`A packed value is truncated: ${view.length} bytes, needs ${at + n * 4}.`);
    const copy = new Float32Array(n);
    new Uint8Array(copy.buffer).set(view.subarray(at, at + n * 4));
    arrays.push(copy);
    at += n * 4;
  }
  return { header, arrays };
}
