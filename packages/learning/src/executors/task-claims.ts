/**
 * A round's client tasks as a queue in shared memory that the worker threads
 * take from themselves: a worker that finishes a client claims the next one
 * with one atomic compare-and-swap, without a message to the main thread and
 * back (which, on a machine with as many busy threads as cores, waits for the
 * main thread to be scheduled: about 2 ms per client, measured). Work stealing
 * in its simplest form: whoever is free takes the next task, so both workers
 * stay busy to the end of a round.
 *
 * One Int32 cell per task: 0 while unclaimed, the claiming worker's tag (> 0)
 * once claimed, {@link CLOSED} when the main thread withdrew it (an aborted
 * round). Claiming and recording the owner are one operation, so a worker that
 * dies at any instant leaves every task either unclaimed (another worker takes
 * it) or marked with its tag (the main thread fails it).
 */

/** The cell value of a task the main thread withdrew before anyone claimed it. */
export const CLOSED = -1;

/** A claim board over `size` tasks, shared by the main thread and the workers. */
export class TaskClaims {
  /** A board of `size` unclaimed tasks in shared memory. */
  static create(size: number): TaskClaims {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`A task board needs a whole number of tasks >= 0, found ${size}.`);
    return new TaskClaims(new Int32Array(new SharedArrayBuffer(Math.max(1, size) * 4), 0, size));
  }

  /** @param cells the board's cells, e.g. received from the main thread (views share the memory). */
  constructor(readonly cells: Int32Array) {}

  get size(): number {
    return this.cells.length;
  }

  /**
   * Claims the first unclaimed task at or after `from` for worker `tag`
   * (tasks are in the order they should start) and returns its index, or -1
   * when none is left.
   */
  claim(tag: number, from = 0): number {
    if (!Number.isInteger(tag) || tag <= 0) throw new RangeError(`A worker tag must be a whole number > 0, found ${tag}.`);
    for (let i = Math.max(0, from); i < this.cells.length; i++) {
      if (Atomics.load(this.cells, i) === 0 && Atomics.compareExchange(this.cells, i, 0, tag) === 0) return i;
    }
    return -1;
  }

  /** 0 when task `i` is unclaimed, {@link CLOSED} when withdrawn, else the tag of the worker that claimed it. */
  ownerOf(i: number): number {
    return Atomics.load(this.cells, i);
  }

  /** Withdraws every task nobody has claimed yet; returns their indices. */
  close(): number[] {
    const withdrawn: number[] = [];
    for (let i = 0; i < this.cells.length; i++) {
      if (Atomics.compareExchange(this.cells, i, 0, CLOSED) === 0) withdrawn.push(i);
    }
    return withdrawn;
  }
}
