/**
 * Learning-rate schedules as plain functions `round → learning rate`, with the
 * semantics of Keras's `keras.optimizers.schedules` (`ExponentialDecay`,
 * `InverseTimeDecay`, `CosineDecay`). Cosine decay: Loshchilov & Hutter,
 * "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017
 * (https://arxiv.org/abs/1608.03983); linear warmup: Goyal et al. 2017
 * (https://arxiv.org/abs/1706.02677).
 *
 * In federated training the step is the round index, counted from 0, as in
 * TFF's `build_scheduled_client_work` (`learning_rate_fn(round_num)`) and
 * `tff.learning.optimizers.schedule_learning_rate` (the i-th `next` uses
 * `schedule_fn(i)`).
 */
import { ValueError } from '@fedkit/core';

/** A learning rate as a function of the round index (0 for the first round). */
export type LearningRateSchedule = (round: number) => number;

/** Options of {@link exponentialDecay} and {@link inverseTimeDecay} (Keras's argument names). */
export interface DecayOptions {
  /** The learning rate at round 0. */
  readonly initialLearningRate: number;
  /** Rounds per decay period, > 0. */
  readonly decaySteps: number;
  /** The decay rate. */
  readonly decayRate: number;
  /** Decay at whole periods only (`floor(round / decaySteps)`). Default false. */
  readonly staircase?: boolean;
}

/**
 * Keras `ExponentialDecay`: `initialLearningRate · decayRate^(round / decaySteps)`.
 * @throws ValueError when decaySteps ≤ 0 (as Keras) or the initial rate is negative.
 * @example
 * ```ts
 * const lr = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
 * lr(0); // 0.1
 * lr(10); // 0.05
 * ```
 */
export function exponentialDecay(options: DecayOptions): LearningRateSchedule {
  const { initialLearningRate, decaySteps, decayRate, staircase = false } = checkDecay('exponentialDecay', options);
  return (round) => {
    const p = progress(round, decaySteps, staircase);
    return initialLearningRate * decayRate ** p;
  };
}

/**
 * Keras `InverseTimeDecay`: `initialLearningRate / (1 + decayRate · round / decaySteps)`.
 * @throws ValueError when decaySteps ≤ 0 (as Keras) or the initial rate is negative.
 * @example
 * ```ts
 * const lr = inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
 * lr(2); // 0.05
 * ```
 */
export function inverseTimeDecay(options: DecayOptions): LearningRateSchedule {
  const { initialLearningRate, decaySteps, decayRate, staircase = false } = checkDecay('inverseTimeDecay', options);
  return (round) => initialLearningRate / (1 + decayRate * progress(round, decaySteps, staircase));
}

/** Options of {@link cosineDecay} (Keras's argument names). */
export interface CosineDecayOptions {
  /** The learning rate at round 0 (the warmup's start when `warmupTarget` is given). */
  readonly initialLearningRate: number;
  /** Rounds to decay over, > 0; afterwards the rate stays at its minimum. */
  readonly decaySteps: number;
  /** The minimum, as a fraction of the rate the decay starts from. Default 0. */
  readonly alpha?: number;
  /** When given, a linear warmup from `initialLearningRate` to this rate over `warmupSteps` rounds comes first. */
  readonly warmupTarget?: number;
  /** Length of the warmup in rounds. Default 0. */
  readonly warmupSteps?: number;
}

/**
 * Keras `CosineDecay`, with its optional linear warmup: after the warmup,
 * `from · ((1 − alpha) · ½(1 + cos(π · min(t, decaySteps) / decaySteps)) + alpha)`
 * where `from` is `warmupTarget` (or `initialLearningRate`) and `t` counts rounds since the warmup ended.
 * @throws ValueError when decaySteps ≤ 0 (as Keras), warmupSteps < 0, or a rate is negative.
 * @example
 * ```ts
 * const lr = cosineDecay({ initialLearningRate: 1, decaySteps: 100 });
 * lr(50); // 0.5
 * lr(100); // 0
 * ```
 */
export function cosineDecay(options: CosineDecayOptions): LearningRateSchedule {
  const { initialLearningRate, decaySteps, alpha = 0, warmupTarget, warmupSteps = 0 } = options;
  checkNonNegative('cosineDecay', 'initialLearningRate', initialLearningRate);
  checkSteps('cosineDecay', 'decaySteps', decaySteps);
  if (!(alpha >= 0 && alpha <= 1)) throw new ValueError(`cosineDecay expects 0 <= alpha <= 1, found ${alpha}.`);
  if (!(warmupSteps >= 0) || !Number.isFinite(warmupSteps)) {
    throw new ValueError(`cosineDecay expects warmupSteps >= 0, found ${warmupSteps}.`);
  }
  if (warmupTarget !== undefined) checkNonNegative('cosineDecay', 'warmupTarget', warmupTarget);
  const decay = (t: number, from: number): number => {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * Math.min(t, decaySteps)) / decaySteps));
    return from * ((1 - alpha) * cosine + alpha);
  };
  return (round) => {
    checkRound(round);
    if (warmupTarget === undefined) return decay(round, initialLearningRate);
    if (round < warmupSteps) return initialLearningRate + ((warmupTarget - initialLearningRate) * round) / warmupSteps;
    return decay(round - warmupSteps, warmupTarget);
  };
}

function progress(round: number, decaySteps: number, staircase: boolean): number {
  checkRound(round);
  const p = round / decaySteps;
  return staircase ? Math.floor(p) : p;
}

function checkDecay(name: string, options: DecayOptions): DecayOptions {
  checkNonNegative(name, 'initialLearningRate', options.initialLearningRate);
  checkSteps(name, 'decaySteps', options.decaySteps);
  if (!Number.isFinite(options.decayRate)) throw new ValueError(`${name} expects a finite decayRate, found ${options.decayRate}.`);
  return options;
}

function checkSteps(name: string, what: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new ValueError(`${name}: argument ${what} must be > 0, found ${value}.`);
}

function checkNonNegative(name: string, what: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) throw new ValueError(`${name} expects a non-negative finite ${what}, found ${value}.`);
}

function checkRound(round: number): void {
  if (!(round >= 0) || !Number.isFinite(round)) {
    throw new ValueError(`A learning-rate schedule takes a round index >= 0 (0 for the first round), found ${round}.`);
  }
}
