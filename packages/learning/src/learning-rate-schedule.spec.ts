import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { cosineDecay, exponentialDecay, inverseTimeDecay } from './learning-rate-schedule.js';

// Expected values are Keras 3's, from keras/src/optimizers/schedules/learning_rate_schedule_test.py.
describe('exponentialDecay (Keras ExponentialDecay)', () => {
  it('ExponentialDecayTest.test_continuous: (0.05, 10, 0.96) at step 5 is 0.05·0.96^0.5', () => {
    expect(exponentialDecay({ initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.96 })(5)).toBeCloseTo(0.05 * 0.96 ** 0.5, 8);
  });

  it('ExponentialDecayTest.test_staircase: (0.1, 3, 0.96, staircase) is 0.1 at steps 1 and 2, 0.1·0.96^33 at step 100', () => {
    const lr = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.96, staircase: true });
    expect(lr(1)).toBeCloseTo(0.1, 8);
    expect(lr(2)).toBeCloseTo(0.1, 8);
    expect(lr(100)).toBeCloseTo(0.1 * 0.96 ** 33, 8);
  });

  it('throws ValueError when decaySteps <= 0, as Keras', () => {
    expect(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 })).toThrow(ValueError);
  });
});

describe('inverseTimeDecay (Keras InverseTimeDecay)', () => {
  it('InverseTimeDecayTest.test_decay: 0.1 / (1 + i/10·0.96) for i = 0..10', () => {
    const lr = inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96 });
    for (let i = 0; i <= 10; i++) expect(lr(i)).toBeCloseTo(0.1 / (1 + (i / 10) * 0.96), 8);
  });

  it('InverseTimeDecayTest.test_staircase: 0.1 / (1 + 0.96·floor(i/10))', () => {
    const lr = inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96, staircase: true });
    expect(lr(9)).toBeCloseTo(0.1, 8);
    expect(lr(10)).toBeCloseTo(0.1 / 1.96, 8);
  });
});

describe('cosineDecay (Keras CosineDecay)', () => {
  // Keras's np_cosine_decay reference for initial_lr 1, decay_steps 1000, steps 0, 250, ..., 1250.
  const cosine = [1, 0.5 * (1 + Math.SQRT1_2), 0.5, 0.5 * (1 - Math.SQRT1_2), 0, 0];

  it('CosineDecayTest.test_decay: 1 → 0 over 1000 steps, then stays at 0', () => {
    const lr = cosineDecay({ initialLearningRate: 1, decaySteps: 1000 });
    cosine.forEach((expected, i) => expect(lr(250 * i)).toBeCloseTo(expected, 6));
  });

  it('CosineDecayTest.test_alpha: alpha 0.1 → 0.9·decay + 0.1', () => {
    const lr = cosineDecay({ initialLearningRate: 1, decaySteps: 1000, alpha: 0.1 });
    cosine.forEach((expected, i) => expect(lr(250 * i)).toBeCloseTo(0.9 * expected + 0.1, 6));
  });

  it('CosineDecayTest.test_warmup_decay: linear warmup 0 → 10 over 2000 steps, then 10·cosine over 1000', () => {
    const lr = cosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 10, warmupSteps: 2000 });
    expect(lr(0)).toBeCloseTo(0, 8);
    expect(lr(500)).toBeCloseTo(2.5, 6);
    expect(lr(2000)).toBeCloseTo(10, 6);
    expect(lr(2250)).toBeCloseTo(10 * cosine[1]!, 5);
    expect(lr(2500)).toBeCloseTo(5, 5);
    expect(lr(2750)).toBeCloseTo(10 * cosine[3]!, 5);
  });

  it('throws ValueError on decaySteps <= 0 and on a negative round', () => {
    expect(() => cosineDecay({ initialLearningRate: 1, decaySteps: -1 })).toThrow(ValueError);
    expect(() => cosineDecay({ initialLearningRate: 1, decaySteps: 10 })(-1)).toThrow(/round index >= 0/);
  });
});
