import { KeyError, ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { fedAdagrad, fedAdam, fedAvgM, fedYogi, scheduleLearningRate, sgd, type ServerOptimizer } from './server-optimizer.js';

// Two parameters w = [1, 2]; pseudo-gradients g1 = [0.5, -1] then g2 = [1, 1].
function twoSteps(opt: ServerOptimizer): Float32Array {
  let state = opt.initialize([2]);
  let weights: Float32Array[] = [Float32Array.of(1, 2)];
  for (const g of [Float32Array.of(0.5, -1), Float32Array.of(1, 1)]) {
    const out = opt.step(state, weights, [g]);
    state = out.state;
    weights = out.weights;
  }
  expect(state.step).toBe(2);
  return weights[0]!;
}

// TFF's test_math setting: w = [1], a constant gradient [2], four steps; returns w after each step.
function constantGradientHistory(opt: ServerOptimizer, steps = 4): number[] {
  let state = opt.initialize([1]);
  let weights: Float32Array[] = [Float32Array.of(1)];
  const history: number[] = [];
  for (let i = 0; i < steps; i++) {
    const out = opt.step(state, weights, [Float32Array.of(2)]);
    state = out.state;
    weights = out.weights;
    history.push(weights[0]![0]!);
  }
  return history;
}

// TFF computes in float32 (0.9000007 where the exact value is 0.9); 5 digits covers that rounding.
function expectCloseAll(actual: number[], expected: number[], digits = 5): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, digits));
}

describe('sgd', () => {
  it('sgd(1.0) subtracts the update', () => {
    const opt = sgd(1.0);
    const { weights } = opt.step(opt.initialize([2]), [Float32Array.of(1, 2)], [Float32Array.of(0.5, -1)]);
    expect(Array.from(weights[0]!)).toEqual([0.5, 3]);
  });

  it('sgd(0.5) steps every element for sizes 1 to 9 (whole groups of four and the rest)', () => {
    for (let n = 1; n <= 9; n++) {
      // w = k, g = 2k: w − 0.5 · g = 0 everywhere; w = k, g = −k: 1.5k.
      const opt = sgd(0.5);
      const k = Float32Array.from({ length: n }, (_, i) => i + 1);
      const zero = opt.step(opt.initialize([n]), [k], [k.map((v) => 2 * v)]).weights[0]!;
      const grown = opt.step(opt.initialize([n]), [k], [k.map((v) => -v)]).weights[0]!;
      expect(Array.from(zero), `size ${n}`).toEqual(Array.from({ length: n }, () => 0));
      expect(Array.from(grown), `size ${n}`).toEqual(Array.from(k, (v) => 1.5 * v));
    }
  });

  it('fedAvgM: v ← 0.9v + g, w ← w − v', () => {
    const w = twoSteps(fedAvgM({ momentum: 0.9 }));
    // v1 = [0.5,-1], w1 = [0.5, 3]; v2 = 0.9·v1 + [1,1] = [1.45, 0.1]; w2 = [0.5-1.45, 3-0.1]
    expect(w[0]).toBeCloseTo(-0.95, 5);
    expect(w[1]).toBeCloseTo(2.9, 5);
  });

  it('nesterov matches tf-keras gradient_descent_test.py testNesterovMomentum (lr 2.0, momentum 0.9, loss 5·var0² + 3·var1)', () => {
    // Keras's numpy reference (_update_nesterov_momentum_numpy): accum = accum·m − g·lr; var += accum·m − g·lr.
    const opt = sgd(2.0, 0.9, true);
    let state = opt.initialize([2, 2]);
    let weights: Float32Array[] = [Float32Array.of(1, 2), Float32Array.of(3, 4)];
    let var0 = [1, 2];
    let var1 = [3, 4];
    let accum0 = [0, 0];
    let accum1 = [0, 0];
    for (let t = 1; t <= 4; t++) {
      const g0 = var0.map((v) => 10 * v);
      const g1 = [3, 3];
      const out = opt.step(state, weights, [Float32Array.from(g0), Float32Array.from(g1)]);
      state = out.state;
      weights = out.weights;
      accum0 = accum0.map((a, i) => a * 0.9 - g0[i]! * 2);
      var0 = var0.map((v, i) => v + accum0[i]! * 0.9 - g0[i]! * 2);
      accum1 = accum1.map((a, i) => a * 0.9 - g1[i]! * 2);
      var1 = var1.map((v, i) => v + accum1[i]! * 0.9 - g1[i]! * 2);
      if (t === 1) {
        // by hand: var0 − 2·(0.9·[10, 20] + [10, 20]) = [−37, −74]; var1 − 2·(0.9·3 + 3) = [−8.4, −7.4]
        expectCloseAll(Array.from(weights[0]!), [-37, -74]);
        expectCloseAll(Array.from(weights[1]!), [-8.4, -7.4]);
      }
      // relative check: var0 grows to ~1e6 by step 4
      weights[0]!.forEach((w, i) => expect(Math.abs(w - var0[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(var0[i]!))));
      expectCloseAll(Array.from(weights[1]!), var1, 3);
    }
  });

  it('nesterov with momentum 0 is plain SGD: Keras 3 sgd_test.py test_correctness_with_golden (SGD(nesterov=True), lr 0.01)', () => {
    const opt = sgd(0.01, 0, true);
    let state = opt.initialize([10]);
    let weights: Float32Array[] = [new Float32Array(10).fill(1)];
    const grads = Float32Array.from({ length: 10 }, (_, i) => 0.1 * (i + 1));
    const golden = [
      [0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999],
      [0.9989, 0.9979, 0.9969, 0.9959, 0.9949, 0.9939, 0.9929, 0.9919, 0.9909, 0.9899],
      [0.9979, 0.9959, 0.9939, 0.9919, 0.9899, 0.9879, 0.9859, 0.9839, 0.9819, 0.9799],
      [0.9969, 0.9939, 0.9909, 0.9879, 0.9849, 0.9819, 0.9789, 0.9759, 0.9729, 0.9699],
      [0.9959, 0.9919, 0.9879, 0.9839, 0.9799, 0.9759, 0.9719, 0.9679, 0.9639, 0.9599],
    ];
    ({ state, weights } = opt.step(state, weights, [new Float32Array(10).fill(0.01)]));
    for (const row of golden) {
      row.forEach((g, k) => expect(Math.abs(weights[0]![k]! - g)).toBeLessThanOrEqual(5e-4 + 5e-4 * Math.abs(g)));
      ({ state, weights } = opt.step(state, weights, [grads]));
    }
  });

  it('accepts a learning rate of 0 (TFF check_non_negative_float) and refuses a negative one or momentum ≥ 1 with ValueError', () => {
    const opt = sgd(0);
    expect(Array.from(opt.step(opt.initialize([1]), [Float32Array.of(3)], [Float32Array.of(5)]).weights[0]!)).toEqual([3]);
    expect(() => sgd(-1)).toThrow(ValueError);
    expect(() => sgd(1, 1)).toThrow(ValueError);
  });
});

describe('fedAdam (TFF build_adam by default)', () => {
  it('has TFF build_adam defaults β1 0.9, β2 0.999, ε 1e-7 and η 0.01', () => {
    expect(fedAdam().hyperparameters).toEqual({ eta: 0.01, beta1: 0.9, beta2: 0.999, tau: 1e-7, initialPreconditionerValue: 0, variant: 'tff' });
  });

  it('matches TFF adam_test.py test_math: lr 0.1, β1 0.9, β2 0.999, ε 0, constant gradient 2 → 0.9, 0.8, 0.7, 0.6', () => {
    const history = constantGradientHistory(fedAdam({ eta: 0.1, beta1: 0.9, beta2: 0.999, tau: 0 }));
    expectCloseAll(history, [0.9000007, 0.8000017, 0.700002, 0.600003]);
  });

  it('variant reddi (no bias correction) takes a first step 3.16x larger in the same setting', () => {
    const history = constantGradientHistory(fedAdam({ eta: 0.1, beta1: 0.9, beta2: 0.999, tau: 0, variant: 'reddi' }), 1);
    // m = 0.1·2 = 0.2, v = 0.001·4 = 0.004 → step 0.1·0.2/√0.004 = 0.316228
    expect(history[0]).toBeCloseTo(1 - 0.316228, 5);
  });

  it('matches TFF adam_test.py test_executes_with_indexed_slices (lr 0.5, β1 = β2 = 0; zero gradient rows stay)', () => {
    const opt = fedAdam({ eta: 0.5, beta1: 0, beta2: 0 });
    const { weights } = opt.step(opt.initialize([8]), [new Float32Array(8).fill(1)], [Float32Array.of(1, 1, 0, 0, 1, 1, 0, 0)]);
    expectCloseAll(Array.from(weights[0]!), [0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1]);
  });

  it('variant reddi keeps m ← β1m+(1−β1)g, v ← β2v+(1−β2)g², w ← w − η·m/(√v+τ) with Flower defaults', () => {
    const opt = fedAdam({ eta: 0.1, variant: 'reddi' });
    expect(opt.hyperparameters).toEqual({ eta: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-9, initialPreconditionerValue: 0, variant: 'reddi' });
    const w = twoSteps(opt);
    // step 1: m = [0.05, -0.1], v = [0.0025, 0.01], √v = [0.05, 0.1] → w1 = [1 - 0.1, 2 + 0.1] = [0.9, 2.1]
    // step 2: m = 0.9·m + 0.1·1 = [0.145, 0.01], v = 0.99·v + 0.01 = [0.012475, 0.0199]
    expect(w[0]).toBeCloseTo(0.9 - (0.1 * 0.145) / Math.sqrt(0.012475), 5); // 0.770178
    expect(w[1]).toBeCloseTo(2.1 - (0.1 * 0.01) / Math.sqrt(0.0199), 5); // 2.092911
  });

  it.each([
    ['negative_lr', { eta: -1 }],
    ['negative_beta_1', { beta1: -0.9 }],
    ['beta_1_one', { beta1: 1 }],
    ['negative_beta_2', { beta2: -0.999 }],
    ['beta_2_one', { beta2: 1 }],
    ['negative_epsilon', { tau: -1e-7 }],
  ])('throws ValueError as TFF adam_test.py test_invalid_args_raises (%s)', (_name, options) => {
    expect(() => fedAdam(options)).toThrow(ValueError);
  });

  it('throws ValueError as TFF test_weights_gradients_mismatch_raises and test_initialize_next_weights_mismatch_raises', () => {
    const opt = fedAdam({ eta: 0.1 });
    expect(() => opt.step(opt.initialize([1]), [Float32Array.of(0)], [Float32Array.of(0, 0)])).toThrow(ValueError);
    expect(() => opt.step(opt.initialize([1]), [Float32Array.of(0, 0)], [Float32Array.of(0, 0)])).toThrow(ValueError);
  });

  it('leaves its inputs untouched', () => {
    const opt = fedAdam();
    const state = opt.initialize([2]);
    const weights = [Float32Array.of(1, 2)];
    opt.step(state, weights, [Float32Array.of(0.5, -1)]);
    expect(Array.from(weights[0]!)).toEqual([1, 2]);
    expect(Array.from(state.slots['m']![0]!)).toEqual([0, 0]);
  });
});

describe('fedYogi (TFF build_yogi by default)', () => {
  it('has TFF build_yogi defaults β1 0.9, β2 0.999, ε 1e-3, initial preconditioner 1e-6 and starts v there; η 0.1', () => {
    const opt = fedYogi();
    expect(opt.hyperparameters).toEqual({ eta: 0.1, beta1: 0.9, beta2: 0.999, tau: 1e-3, initialPreconditionerValue: 1e-6, variant: 'tff' });
    expect(opt.initialize([2]).slots['v']![0]![1]).toBeCloseTo(1e-6, 12);
  });

  it('matches TFF yogi_test.py test_math: lr 0.1, ε 0, initial preconditioner 0, constant gradient 2', () => {
    const history = constantGradientHistory(fedYogi({ eta: 0.1, beta1: 0.9, beta2: 0.999, tau: 0, initialPreconditionerValue: 0 }));
    expectCloseAll(history, [0.9000007, 0.8000267, 0.700077, 0.600153]);
  });

  it('uses the initial preconditioner value and bias correction by default (one step by hand)', () => {
    const history = constantGradientHistory(fedYogi({ eta: 0.1 }), 1);
    // v = 1e-6 + 0.001·4·sign(4 − 1e-6) = 0.004001, m = 0.2, η·√(1−0.999)/(1−0.9) = 0.1·√0.001/0.1
    const step = ((0.1 * Math.sqrt(0.001)) / 0.1) * (0.2 / (Math.sqrt(0.004001) + 1e-3));
    expect(history[0]).toBeCloseTo(1 - step, 6); // 0.901570
  });

  it('matches TFF yogi_test.py test_executes_with_indexed_slices (lr 0.5, β = 0, ε 1e-7, preconditioner 0)', () => {
    const opt = fedYogi({ eta: 0.5, beta1: 0, beta2: 0, tau: 1e-7, initialPreconditionerValue: 0 });
    const { weights } = opt.step(opt.initialize([8]), [new Float32Array(8).fill(1)], [Float32Array.of(1, 1, 0, 0, 1, 1, 0, 0)]);
    expectCloseAll(Array.from(weights[0]!), [0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1]);
  });

  it('variant reddi matches v ← v − (1−β2)g²·sign(v − g²) with Flower defaults (η 0.01, τ 1e-3)', () => {
    const opt = fedYogi({ variant: 'reddi' });
    expect(opt.hyperparameters).toEqual({ eta: 0.01, beta1: 0.9, beta2: 0.99, tau: 1e-3, initialPreconditionerValue: 0, variant: 'reddi' });
    const w = twoSteps(opt);
    // step 1: v0 = 0, g² = [0.25, 1], sign(0 − g²) = −1 → v1 = [0.0025, 0.01]; m1 = [0.05, -0.1]
    const w1 = [1 - (0.01 * 0.05) / (0.05 + 1e-3), 2 + (0.01 * 0.1) / (0.1 + 1e-3)];
    // step 2: g² = 1 > v1 → v2 = v1 + 0.01 = [0.0125, 0.02]; m2 = [0.145, 0.01]
    expect(w[0]).toBeCloseTo(w1[0]! - (0.01 * 0.145) / (Math.sqrt(0.0125) + 1e-3), 5);
    expect(w[1]).toBeCloseTo(w1[1]! - (0.01 * 0.01) / (Math.sqrt(0.02) + 1e-3), 5);
  });

  it('throws ValueError on invalid arguments (TFF yogi_test.py test_invalid_args_raises)', () => {
    for (const options of [{ eta: -1 }, { beta1: 1 }, { beta2: -0.999 }, { tau: -1e-7 }]) expect(() => fedYogi(options)).toThrow(ValueError);
  });
});

describe('fedAdagrad (TFF build_adagrad by default)', () => {
  it('has TFF build_adagrad defaults: initial preconditioner 0.1, ε 1e-7; η 0.1', () => {
    expect(fedAdagrad().hyperparameters).toEqual({ eta: 0.1, beta1: 0, beta2: 0, tau: 1e-7, initialPreconditionerValue: 0.1, variant: 'tff' });
  });

  it('matches TFF adagrad_test.py test_math_no_momentum: lr 0.01, preconditioner 0, ε 0 → 0.99, 0.9829289, 0.9771554, 0.9721554', () => {
    const history = constantGradientHistory(fedAdagrad({ eta: 0.01, initialPreconditionerValue: 0, tau: 0 }));
    expectCloseAll(history, [0.99, 0.9829289, 0.9771554, 0.9721554], 6);
  });

  it('matches TFF adagrad_test.py test_executes_with_indexed_slices (lr 0.5, preconditioner 0, ε 1e-7 inside the root)', () => {
    const opt = fedAdagrad({ eta: 0.5, initialPreconditionerValue: 0 });
    const { weights } = opt.step(opt.initialize([8]), [new Float32Array(8).fill(1)], [Float32Array.of(1, 1, 0, 0, 1, 1, 0, 0)]);
    expectCloseAll(Array.from(weights[0]!), [0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1]);
  });

  it('starts the preconditioner at 0.1 by default: w ← w − η·g/√(0.1 + g² + ε)', () => {
    const history = constantGradientHistory(fedAdagrad({ eta: 0.01 }), 1);
    expect(history[0]).toBeCloseTo(1 - (0.01 * 2) / Math.sqrt(4.1 + 1e-7), 7); // 0.9901227
  });

  it('variant reddi matches v ← v + g², w ← w − η·g/(√v+τ) with Flower defaults', () => {
    const opt = fedAdagrad({ eta: 0.1, variant: 'reddi' });
    expect(opt.hyperparameters).toEqual({ eta: 0.1, beta1: 0, beta2: 0, tau: 1e-9, initialPreconditionerValue: 0, variant: 'reddi' });
    const w = twoSteps(opt);
    // step 1: v = [0.25, 1] → w1 = [1 - 0.1·0.5/0.5, 2 + 0.1·1/1] = [0.9, 2.1]
    // step 2: v = [1.25, 2] → w2 = [0.9 - 0.1/√1.25, 2.1 - 0.1/√2]
    expect(w[0]).toBeCloseTo(0.9 - 0.1 / Math.sqrt(1.25), 5);
    expect(w[1]).toBeCloseTo(2.1 - 0.1 / Math.sqrt(2), 5);
  });

  it('throws ValueError as TFF adagrad_test.py test_invalid_args_raises, and on momentum with the TFF variant', () => {
    expect(() => fedAdagrad({ eta: -1 })).toThrow(ValueError);
    expect(() => fedAdagrad({ initialPreconditionerValue: -0.1 })).toThrow(/preconditioner/);
    expect(() => fedAdagrad({ tau: -1e-7 })).toThrow(ValueError);
    expect(() => fedAdagrad({ beta1: 0.9 })).toThrow(/variant 'reddi'/);
  });
});

describe('scheduleLearningRate (TFF schedule_learning_rate)', () => {
  // TFF scheduling_test.py: _example_schedule_fn is 0.1 for rounds 0 and 1, then 0.01.
  const example = (round: number): number => (round < 2 ? 0.1 : 0.01);

  it('matches TFF scheduling_test.py test_scheduled_sgd_computes_correctly: 0.9, 0.8, 0.79, 0.78', () => {
    const opt = scheduleLearningRate(sgd(1.0), example);
    let state = opt.initialize([1]);
    let weights: Float32Array[] = [Float32Array.of(1)];
    const history: number[] = [];
    for (let i = 0; i < 4; i++) {
      ({ state, weights } = opt.step(state, weights, [Float32Array.of(1)]));
      history.push(weights[0]![0]!);
    }
    expectCloseAll(history, [0.9, 0.8, 0.79, 0.78], 6);
  });

  it('takes a schedule as the learning-rate option of sgd and fedAdam (same numbers)', () => {
    let opt = sgd(example);
    let state = opt.initialize([1]);
    let weights: Float32Array[] = [Float32Array.of(1)];
    for (let i = 0; i < 3; i++) ({ state, weights } = opt.step(state, weights, [Float32Array.of(1)]));
    expect(weights[0]![0]).toBeCloseTo(0.79, 6);
    // Adam with β1 = β2 = 0 and ε 0 steps by exactly η·sign(g): 1 − 0.1 − 0.1 − 0.01
    opt = fedAdam({ eta: example, beta1: 0, beta2: 0, tau: 0 });
    state = opt.initialize([1]);
    weights = [Float32Array.of(1)];
    for (let i = 0; i < 3; i++) ({ state, weights } = opt.step(state, weights, [Float32Array.of(5)]));
    expect(weights[0]![0]).toBeCloseTo(0.79, 6);
  });

  it('keeps the inner state layout and bias-correction step count', () => {
    const opt = scheduleLearningRate(fedAdam({ eta: 0.1, beta1: 0.9, beta2: 0.999, tau: 0 }), () => 0.1);
    expect(opt.slotNames).toEqual(['m', 'v']);
    expect(constantGradientHistory(opt)).toEqual(constantGradientHistory(fedAdam({ eta: 0.1, beta1: 0.9, beta2: 0.999, tau: 0 })));
  });

  it('throws KeyError when scheduling a scheduled optimizer, as TFF test_scheduling_scheduled_optimizer_raises', () => {
    expect(() => scheduleLearningRate(scheduleLearningRate(sgd(1.0), example), example)).toThrow(KeyError);
  });
});
