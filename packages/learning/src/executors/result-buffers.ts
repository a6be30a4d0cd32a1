/**
 * A worker thread's client results in reusable shared memory. A client's
 * update (0.8 MB for the 2NN, one per client) used to cross to the main thread
 * as freshly allocated, transferred buffers; at a round's pace that is about
 * 8 MB of new external memory per round in the main isolate, and V8 answered
 * with one mark-compact collection per round (about 15-20 ms of main-thread CPU,
 * taken from the workers' cores). Lent buffers are allocated once and written
 * again once the main thread has {@link recycleLent recycled} them.
 *
 * Each buffer starts with a 16-byte header whose first Int32 is 1 while the
 * buffer is lent (its arrays belong to the main thread) and 0 when free.
 */

const HEADER_BYTES = 16;
const LENT = 1;
const FREE = 0;

/** Default cap on the bytes one worker keeps lent out at once (results held by the main thread). */
export const DEFAULT_MAX_LENT_BYTES = 64 * 1024 * 1024;

/** The arrays' memory as one shared buffer per result, reused once the main thread recycles it. */
export class ResultBuffers {
  private readonly buffers: SharedArrayBuffer[] = [];

  /**
   * @param maxBytes the most bytes of buffers kept (lent or free); a result that does not fit travels the old way (transferred).
   * @param maxBuffers the most buffers kept.
   */
  constructor(
    private readonly maxBytes = DEFAULT_MAX_LENT_BYTES,
    private readonly maxBuffers = 16,
  ) {}

  /**
   * Copies `arrays` into a free buffer (or a new one while under the caps),
   * marks it lent and returns views over it with the same lengths and values;
   * `undefined` when every buffer is lent and no new one fits.
   */
  lend(arrays: readonly Float32Array[]): Float32Array[] | undefined {
    const views = this.lendEmpty(arrays.map((a) => a.length));
    views?.forEach((v, i) => v.set(arrays[i]!));
    return views;
  }

  /**
   * Like {@link lend}, for a result not computed yet: views of these lengths over a lent buffer, to be written
   * (their contents are a previous result's). Hand them back with {@link recycleLent} if they are not posted.
   */
  lendEmpty(lengths: readonly number[]): Float32Array[] | undefined {
    if (lengths.length === 0) return undefined;
    const bytes = HEADER_BYTES + 4 * lengths.reduce((n, l) => n + l, 0);
    let buffer = this.buffers.find((b) => b.byteLength === bytes && Atomics.load(new Int32Array(b, 0, 1), 0) === FREE);
    if (buffer === undefined) {
      const held = this.buffers.reduce((n, b) => n + b.byteLength, 0);
      if (this.buffers.length >= this.maxBuffers || held + bytes > this.maxBytes) return undefined;
      buffer = new SharedArrayBuffer(bytes);
      this.buffers.push(buffer);
    }
    Atomics.store(new Int32Array(buffer, 0, 1), 0, LENT);
    let offset = HEADER_BYTES;
    return lengths.map((length) => {
      const view = new Float32Array(buffer, offset, length);
      offset += 4 * length;
      return view;
    });
  }

  /** How many buffers are lent out now. */
  get lentCount(): number {
    return this.buffers.filter((b) => Atomics.load(new Int32Array(b, 0, 1), 0) === LENT).length;
  }
}

/**
 * Hands a lent result's memory back to the worker that lent it: call once
 * nothing reads `arrays` (any views made by {@link ResultBuffers.lend}) any more;
 * the worker may overwrite them with a later client's result.
 *
 * @throws TypeError when `arrays` are not views made by {@link ResultBuffers.lend}.
 */
export function recycleLent(arrays: readonly Float32Array[]): void {
  const first = arrays[0];
  if (first === undefined || !(first.buffer instanceof SharedArrayBuffer) || first.byteOffset !== HEADER_BYTES) {
    throw new TypeError('recycleLent expects the arrays of a lent result (views made by ResultBuffers.lend); these are not.');
  }
  Atomics.store(new Int32Array(first.buffer, 0, 1), 0, FREE);
}
