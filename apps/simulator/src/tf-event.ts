/**
 * TensorBoard's `Event` protocol buffer, the scalar subset
 * (`tensorboard/compat/proto/event.proto` and `summary.proto`):
 * `Event { double wall_time = 1; int64 step = 2; oneof what { string file_version = 3; Summary summary = 5; } }`,
 * `Summary { repeated Value value = 1; }`, `Value { string tag = 1; float simple_value = 2; }`.
 * Encoded by hand (proto3 wire format) so that no protobuf runtime is needed.
 */

/** One scalar of a summary. */
export interface TfScalar {
  readonly tag: string;
  readonly value: number;
}

/** An event as fedkit writes and reads it: the file-version marker or a summary of scalars. */
export interface TfEvent {
  /** Seconds since the Unix epoch. */
  readonly wallTime: number;
  readonly step: number;
  readonly fileVersion?: string;
  readonly scalars?: readonly TfScalar[];
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

function varint(n: number): number[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`A varint must be a safe integer >= 0, found ${n}.`);
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

function key(field: number, wire: number): number[] {
  return varint(field * 8 + wire);
}

function bytesField(field: number, data: Uint8Array | number[]): number[] {
  return [...key(field, WIRE_BYTES), ...varint(data.length), ...data];
}

function fixed(field: number, wire: typeof WIRE_FIXED64 | typeof WIRE_FIXED32, value: number): number[] {
  const b = new Uint8Array(wire === WIRE_FIXED64 ? 8 : 4);
  const v = new DataView(b.buffer);
  if (wire === WIRE_FIXED64) v.setFloat64(0, value, true);
  else v.setFloat32(0, value, true);
  return [...key(field, wire), ...b];
}

/**
 * Serializes an {@link TfEvent}. `step` 0 is left out, as proto3 leaves out default values.
 *
 * @example
 * ```ts
 * encodeEvent({ wallTime: 1.5, step: 3, scalars: [{ tag: 'a', value: 0.5 }] });
 * ```
 */
export function encodeEvent(event: TfEvent): Uint8Array {
  const utf8 = new TextEncoder();
  const out = [...fixed(1, WIRE_FIXED64, event.wallTime), ...(event.step === 0 ? [] : [...key(2, WIRE_VARINT), ...varint(event.step)])];
  if (event.fileVersion !== undefined) out.push(...bytesField(3, utf8.encode(event.fileVersion)));
  if (event.scalars !== undefined) {
    const summary = event.scalars.flatMap((s) => bytesField(1, [...bytesField(1, utf8.encode(s.tag)), ...fixed(2, WIRE_FIXED32, s.value)]));
    out.push(...bytesField(5, summary));
  }
  return Uint8Array.from(out);
}

/** Reads protobuf fields one by one; unknown fields are skipped by wire type. */
class FieldReader {
  private at = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.bytes.length) throw new Error('Event proto: a varint runs past the end of the message.');
      const b = this.bytes[this.at++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }

  take(n: number): Uint8Array {
    if (this.at + n > this.bytes.length) throw new Error(`Event proto: a field of ${n} bytes runs past the end of the message.`);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** The next field's number, wire type and value (a number, or the bytes of a length-delimited field). */
  next(): { field: number; wire: number; value: number | Uint8Array } {
    const k = this.varint();
    const field = Math.floor(k / 8);
    const wire = k % 8;
    switch (wire) {
      case WIRE_VARINT:
        return { field, wire, value: this.varint() };
      case WIRE_FIXED64: {
        const at = this.take(8).byteOffset - this.bytes.byteOffset;
        return { field, wire, value: this.view.getFloat64(at, true) };
      }
      case WIRE_BYTES:
        return { field, wire, value: this.take(this.varint()) };
      case WIRE_FIXED32: {
        const at = this.take(4).byteOffset - this.bytes.byteOffset;
        return { field, wire, value: this.view.getFloat32(at, true) };
      }
      default:
        throw new Error(`Event proto: unsupported wire type ${wire} for field ${field}.`);
    }
  }
}

/**
 * Parses an `Event` (the fields of {@link TfEvent}; others are skipped).
 *
 * @throws Error when the bytes are not a well-formed message.
 * @example
 * ```ts
 * const events = readRecords(await readFile(path)).map(decodeEvent);
 * ```
 */
export function decodeEvent(bytes: Uint8Array): TfEvent {
  const utf8 = new TextDecoder();
  const r = new FieldReader(bytes);
  let wallTime = 0;
  let step = 0;
  let fileVersion: string | undefined;
  let scalars: TfScalar[] | undefined;
  while (!r.done) {
    const f = r.next();
    if (f.field === 1 && f.wire === WIRE_FIXED64) wallTime = f.value as number;
    else if (f.field === 2 && f.wire === WIRE_VARINT) step = f.value as number;
    else if (f.field === 3 && f.wire === WIRE_BYTES) fileVersion = utf8.decode(f.value as Uint8Array);
    else if (f.field === 5 && f.wire === WIRE_BYTES) {
      scalars ??= [];
      const summary = new FieldReader(f.value as Uint8Array);
      while (!summary.done) {
        const v = summary.next();
        if (v.field !== 1 || v.wire !== WIRE_BYTES) continue;
        const value = new FieldReader(v.value as Uint8Array);
        let tag = '';
        let simple: number | undefined;
        while (!value.done) {
          const x = value.next();
          if (x.field === 1 && x.wire === WIRE_BYTES) tag = utf8.decode(x.value as Uint8Array);
          else if (x.field === 2 && x.wire === WIRE_FIXED32) simple = x.value as number;
        }
        if (simple !== undefined) scalars.push({ tag, value: simple });
      }
    }
  }
  return { wallTime, step, ...(fileVersion === undefined ? {} : { fileVersion }), ...(scalars === undefined ? {} : { scalars }) };
}
