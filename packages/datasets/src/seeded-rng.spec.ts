import { describe, expect, it } from 'vitest';

import { createRng, permutation } from './seeded-rng.js';

describe('createRng', () => {
  it("reproduces seedrandom's documented value, so sequences agree across machines", () => {
    // seedrandom README: Math.seedrandom('hello.'); Math.random() -> always 0.9282578795792454
    expect(createRng('hello.')()).toBe(0.9282578795792454);
  });

  it('treats a number seed as its string', () => {
    expect(createRng(7)()).toBe(createRng('7')());
  });

  it('permutes 0..n-1', () => {
    expect(permutation(6, createRng(1)).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
