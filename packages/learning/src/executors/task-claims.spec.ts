import { describe, expect, it } from 'vitest';

import { CLOSED, TaskClaims } from './task-claims.js';

describe('TaskClaims', () => {
  it('hands out the tasks in board order, each once, then -1', () => {
    const board = TaskClaims.create(3);
    expect([board.claim(1), board.claim(2), board.claim(1), board.claim(2)]).toEqual([0, 1, 2, -1]);
  });

  it('records who claimed each task in the same cell, so a dead worker\'s task is known', () => {
    const board = TaskClaims.create(3);
    board.claim(7);
    board.claim(9);
    expect([board.ownerOf(0), board.ownerOf(1), board.ownerOf(2)]).toEqual([7, 9, 0]);
  });

  it('two claimers over one shared memory never get the same task (a second view of the cells, as a worker has)', () => {
    const main = TaskClaims.create(5);
    const worker = new TaskClaims(new Int32Array(main.cells.buffer, 0, 5));
    // The worker's own cursor is behind: it skips what the other took instead of taking it again.
    expect(main.claim(1)).toBe(0);
    expect(main.claim(1)).toBe(1);
    expect(worker.claim(2, 0)).toBe(2);
    expect(main.claim(1, 2)).toBe(3);
    expect(worker.claim(2, 3)).toBe(4);
    expect(main.claim(1, 4)).toBe(-1);
  });

  it('close withdraws only the unclaimed tasks and nobody can claim them afterwards', () => {
    const board = TaskClaims.create(4);
    board.claim(3);
    expect(board.close()).toEqual([1, 2, 3]);
    expect(board.claim(3)).toBe(-1);
    expect([board.ownerOf(0), board.ownerOf(1)]).toEqual([3, CLOSED]);
  });

  it('refuses a tag that could not be told from an unclaimed or withdrawn cell', () => {
    const board = TaskClaims.create(1);
    expect(() => board.claim(0)).toThrow(/tag must be a whole number > 0, found 0/);
    expect(() => board.claim(CLOSED)).toThrow(RangeError);
  });

  it('an empty board has no task to claim', () => {
    expect(TaskClaims.create(0).claim(1)).toBe(-1);
  });
});
