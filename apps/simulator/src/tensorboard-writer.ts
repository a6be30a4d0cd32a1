import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

import type { SimulationEvent } from './simulation-event.js';
import { decodeEvent, encodeEvent, type TfEvent, type TfScalar } from './tf-event.js';
import { frameRecord, readRecords } from './tf-record.js';

/** The version string TensorBoard's own writers put in the first event of a file. */
export const EVENT_FILE_VERSION = 'brain.Event:2';

/**
 * The scalars TensorBoard shows for a simulation event, step = round:
 * `train/<metric>` and `round/duration_s`, `round/examples_per_second`,
 * `round/failures` for a finished round; `eval/<metric>` for an evaluation;
 * none for other events.
 *
 * @example
 * ```ts
 * tensorBoardScalars(roundFinished); // [{ tag: 'train/loss', value: 0.3 }, ...]
 * ```
 */
export function tensorBoardScalars(e: SimulationEvent): TfScalar[] {
  const of = (prefix: string, m: Readonly<Record<string, number>>): TfScalar[] =>
    Object.entries(m).filter(([, v]) => Number.isFinite(v)).map(([k, v]) => ({ tag: `${prefix}/${k}`, value: v }));
  if (e.kind === 'round-finished') {
    return [
      ...of('train', e.train),
      { tag: 'round/duration_s', value: e.durationMs / 1000 },
      { tag: 'round/examples_per_second', value: e.examplesPerSecond },
      { tag: 'round/failures', value: e.failures },
    ];
  }
  if (e.kind === 'evaluated') {
    const m = e.centralized ?? e.federated;
    return m === undefined ? [] : of('eval', m);
  }
  return [];
}

/**
 * Writes a TensorBoard event file (`events.out.tfevents.<seconds>.<host>.<pid>`
 * in `dir`): TFRecord-framed `Event` protos, a `file_version` event first,
 * then one event of scalars per call. Point TensorBoard at the folder
 * (`tensorboard --logdir DIR`) to see fedkit runs beside other experiments.
 * Appends only, so TensorBoard can read the file while the run writes it.
 *
 * @example
 * ```ts
 * const tb = await TensorBoardWriter.create('runs/fedavg');
 * simulate(options).subscribe((e) => void tb.write(e.kind === 'round-finished' ? e.round : 0, tensorBoardScalars(e)));
 * ```
 */
export class TensorBoardWriter {
  private queue: Promise<void> = Promise.resolve();

  private constructor(readonly path: string) {}

  /** Creates `dir` if needed and starts a new event file with its version event. */
  static async create(dir: string, options: { readonly now?: () => number; readonly host?: string } = {}): Promise<TensorBoardWriter> {
    const now = options.now ?? Date.now;
    await mkdir(resolve(dir), { recursive: true });
    // The pid keeps two runs started in the same second apart; TensorBoard reads every file whose name contains "tfevents".
    const path = join(resolve(dir), `events.out.tfevents.${Math.floor(now() / 1000)}.${options.host ?? hostname()}.${process.pid}`);
    const writer = new TensorBoardWriter(path);
    await appendFile(path, frameRecord(encodeEvent({ wallTime: now() / 1000, step: 0, fileVersion: EVENT_FILE_VERSION })), { flag: 'wx' });
    return writer;
  }

  /** Appends one event with `scalars` at `step` (nothing when there are none); writes happen in call order. */
  write(step: number, scalars: readonly TfScalar[], wallTime = Date.now() / 1000): Promise<void> {
    if (scalars.length === 0) return this.queue;
    const record = frameRecord(encodeEvent({ wallTime, step, scalars }));
    this.queue = this.queue.then(() => appendFile(this.path, record));
    return this.queue;
  }

  /** Resolves once every write so far is on disk. */
  flush(): Promise<void> {
    return this.queue;
  }
}

/**
 * Reads an event file back (TFRecord CRCs checked, `Event` protos decoded).
 *
 * @throws Error when a record's CRC does not match or a proto is malformed.
 * @example
 * ```ts
 * const [version, ...rounds] = await readEventFile(tb.path);
 * ```
 */
export async function readEventFile(path: string): Promise<TfEvent[]> {
  return readRecords(new Uint8Array(await readFile(path))).map(decodeEvent);
}
