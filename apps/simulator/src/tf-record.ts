import { crc32c, maskCrc32c } from './crc32c.js';

/**
 * Frames one record in TensorFlow's TFRecord format
 * (`tensorflow/core/lib/io/record_writer.cc`): `uint64 length`,
 * `uint32 masked_crc32c(length bytes)`, `data`, `uint32 masked_crc32c(data)`,
 * all little-endian. TensorBoard's event files are sequences of such records.
 *
 * @example
 * ```ts
 * await appendFile('events.out.tfevents.1.host', frameRecord(encodeEvent({ wallTime: Date.now() / 1000, fileVersion: 'brain.Event:2' })));
 * ```
 */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskCrc32c(crc32c(out.subarray(0, 8))), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskCrc32c(crc32c(data)), true);
  return out;
}

/**
 * Splits a TFRecord file into its records, checking both CRCs of each.
 *
 * @throws Error naming the record and offset when a CRC does not match or the file ends inside a record.
 * @example
 * ```ts
 * const records = readRecords(await readFile(path));
 * ```
 */
export function readRecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const n = records.length;
    if (at + 12 > bytes.length) throw new Error(`TFRecord ${n} at byte ${at}: the file ends inside the 12-byte header (truncated).`);
    const length = Number(view.getBigUint64(at, true));
    if (view.getUint32(at + 8, true) !== maskCrc32c(crc32c(bytes.subarray(at, at + 8)))) {
      throw new Error(`TFRecord ${n} at byte ${at}: the length's CRC does not match (corrupted, or not a TFRecord file).`);
    }
    const end = at + 12 + length;
    if (end + 4 > bytes.length) throw new Error(`TFRecord ${n} at byte ${at}: ${length} data bytes announced, the file ends first (truncated).`);
    const data = bytes.subarray(at + 12, end);
    if (view.getUint32(end, true) !== maskCrc32c(crc32c(data))) throw new Error(`TFRecord ${n} at byte ${at}: the data's CRC does not match (corrupted).`);
    records.push(data);
    at = end + 4;
  }
  return records;
}
