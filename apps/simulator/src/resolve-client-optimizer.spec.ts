import { describe, expect, it } from 'vitest';

import { ValueError } from '@fedkit/core';

import { resolveClientOptimizer } from './resolve-client-optimizer.js';

describe('resolveClientOptimizer', () => {
  it('is SGD with learning rate 0.1 (the FedAvg paper) when neither the task nor the flags choose', () => {
    expect(resolveClientOptimizer(undefined, undefined, undefined)).toEqual({ name: 'sgd', learningRate: 0.1 });
  });

  it("keeps the task's optimizer and its options, and --client-lr replaces only the learning rate", () => {
    const task = { name: 'momentum' as const, learningRate: 0.05, momentum: 0.8 };
    expect(resolveClientOptimizer(task, undefined, undefined)).toEqual(task);
    expect(resolveClientOptimizer(task, undefined, 0.2)).toEqual({ name: 'momentum', learningRate: 0.2, momentum: 0.8 });
  });

  it("--client-optimizer with another name takes Keras's default learning rate for it unless --client-lr is given", () => {
    expect(resolveClientOptimizer(undefined, 'adam', undefined)).toEqual({ name: 'adam', learningRate: 0.001 });
    expect(resolveClientOptimizer({ name: 'sgd', learningRate: 0.1 }, 'rmsprop', 0.01)).toEqual({ name: 'rmsprop', learningRate: 0.01 });
  });

  it('refuses an unknown optimizer name, listing the valid ones', () => {
    expect(() => resolveClientOptimizer(undefined, 'lion', 0.1)).toThrow(ValueError);
    expect(() => resolveClientOptimizer(undefined, 'lion', 0.1)).toThrow(/Valid optimizers: sgd, momentum, adam/);
  });
});
