import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { EVENT_FILE_VERSION, readEventFile, TensorBoardWriter, tensorBoardScalars } from './tensorboard-writer.js';
import { frameRecord, readRecords } from './tf-record.js';

describe('frameRecord / readRecords', () => {
  it('frames an empty record with the masked CRCs of 8 zero bytes and of nothing', () => {
    const framed = frameRecord(new Uint8Array(0));
    const view = new DataView(framed.buffer);
    expect(framed.length).toBe(16);
    expect(view.getBigUint64(0, true)).toBe(0n);
    // CRC-32C of 8 zero bytes is 0x8C28B28A (a bitwise Python CRC-32C gave the same); rotated right by 15:
    // 0x8C28B28A >>> 15 = 0x11851, low 15 bits 0x328A << 17 = 0x65140000, together 0x65151851; + 0xA282EAD8 = 0x07980329.
    expect(view.getUint32(8, true)).toBe(0x07980329);
    // The data CRC of no bytes is 0, masked: 0xa282ead8.
    expect(view.getUint32(12, true)).toBe(0xa282ead8);
    expect(readRecords(framed)).toEqual([new Uint8Array(0)]);
  });

  it('refuses a flipped data byte, a flipped length byte and a truncated file', () => {
    const framed = frameRecord(Uint8Array.from([1, 2, 3]));
    const data = framed.slice();
    data[13] ^= 0xff;
    expect(() => readRecords(data)).toThrow(/data's CRC does not match/);
    const length = framed.slice();
    length[0] = 4;
    expect(() => readRecords(length)).toThrow(/length's CRC does not match/);
    expect(() => readRecords(framed.subarray(0, framed.length - 1))).toThrow(/truncated/);
  });
});

describe('TensorBoardWriter', () => {
  it('writes events.out.tfevents.<s>.<host>.<pid>: a file_version event, then the scalars of each call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-'));
    // 2026-01-01T00:00:00.500Z
    const tb = await TensorBoardWriter.create(join(dir, 'run'), { now: () => 1_767_225_600_500, host: 'box' });
    await tb.write(1, [{ tag: 'train/loss', value: 2 }], 1_767_225_601);
    await tb.write(2, []);
    await tb.write(2, [{ tag: 'train/loss', value: 1 }, { tag: 'eval/accuracy', value: 0.5 }], 1_767_225_602);
    expect(readdirSync(join(dir, 'run'))).toEqual([`events.out.tfevents.1767225600.box.${process.pid}`]);
    expect(await readEventFile(tb.path)).toEqual([
      { wallTime: 1_767_225_600.5, step: 0, fileVersion: EVENT_FILE_VERSION },
      { wallTime: 1_767_225_601, step: 1, scalars: [{ tag: 'train/loss', value: 2 }] },
      { wallTime: 1_767_225_602, step: 2, scalars: [{ tag: 'train/loss', value: 1 }, { tag: 'eval/accuracy', value: 0.5 }] },
    ]);
  });

  it('leaves a file whose every record passes its CRC checks (a damaged byte is detected)', async () => {
    const tb = await TensorBoardWriter.create(mkdtempSync(join(tmpdir(), 'tb-')));
    await tb.write(1, [{ tag: 'a', value: 1 }]);
    const bytes = readFileSync(tb.path);
    expect(readRecords(bytes)).toHaveLength(2);
    bytes[bytes.length - 6] = bytes[bytes.length - 6]! ^ 1;
    writeFileSync(tb.path, bytes);
    await expect(readEventFile(tb.path)).rejects.toThrow(/CRC does not match/);
  });
});

describe('tensorBoardScalars', () => {
  it('tags training metrics train/*, round figures round/*, evaluation eval/*', () => {
    const train = { loss: 0.5, accuracy: 0.75 };
    expect(
      tensorBoardScalars({
        kind: 'round-finished', round: 3, train, durationMs: 1500, examplesPerSecond: 40, numExamples: 60, failures: 1,
        metrics: { distributor: {}, client_work: { train }, aggregator: {}, finalizer: {}, failures: 1 },
      }),
    ).toEqual([
      { tag: 'train/loss', value: 0.5 },
      { tag: 'train/accuracy', value: 0.75 },
      { tag: 'round/duration_s', value: 1.5 },
      { tag: 'round/examples_per_second', value: 40 },
      { tag: 'round/failures', value: 1 },
    ]);
    expect(tensorBoardScalars({ kind: 'evaluated', round: 3, centralized: { loss: 0.25 } })).toEqual([{ tag: 'eval/loss', value: 0.25 }]);
    expect(tensorBoardScalars({ kind: 'checkpoint-saved', round: 3, path: '/x' })).toEqual([]);
  });
});
