/**
 * Server optimizers of FedOpt — Reddi et al., "Adaptive Federated Optimization",
 * ICLR 2021 (https://arxiv.org/abs/2003.00295) — and FedAvgM — Hsu et al.,
 * "Measuring the Effects of Non-Identical Data Distribution for Federated
 * Visual Classification", 2019 (https://arxiv.org/abs/1909.06335).
 *
 * By default each one computes what TFF's `tff.learning.optimizers` computes
 * (`build_sgdm`, `build_adam`, `build_yogi`, `build_adagrad`): Adam and Yogi
 * scale the learning rate by the bias correction √(1−β2ᵗ)/(1−β1ᵗ), Yogi and
 * Adagrad start their preconditioner at `initial_preconditioner_value`.
 * `variant: 'reddi'` gives the paper's Algorithm 2 instead (no bias
 * correction, preconditioner from 0, Flower's defaults).
 *
 * They work on plain Float32Arrays so that their state is part of the learning
 * process state (and of checkpoints) and a resumed run is exact.
 *
 * The aggregate update is a pseudo-gradient `g = initial − trained` (TFF HEAD
 * sign), so every optimizer moves the weights against it: `w ← w − η·f(g)`.
 */
import { KeyError, ValueError } from '@fedkit/core';

import type { LearningRateSchedule } from './learning-rate-schedule.js';

/** A server optimizer's state: its step count and its named slots (one Float32Array per weight). */
export interface ServerOptimizerState {
  readonly step: number;
  readonly slots: Readonly<Record<string, Float32Array[]>>;
}

/** An optimizer applied at the server to the aggregate update, as a pseudo-gradient. */
export interface ServerOptimizer {
  /** `sgd`, `adam`, `yogi` or `adagrad`. */
  readonly name: string;
  /** Its hyperparameters, for logs and checkpoints (`variant` is `'tff'` or `'reddi'` for the adaptive ones). */
  readonly hyperparameters: Readonly<Record<string, number | string | boolean>>;
  /** Names of its slots, in the order they appear in the state. */
  readonly slotNames: readonly string[];
  /** Initial slots for weights of the given sizes (zeros, or the initial preconditioner value). */
  initialize(sizes: readonly number[]): ServerOptimizerState;
  /** One step: returns new weights and state; the inputs are left untouched. */
  step(
    state: ServerOptimizerState,
    weights: readonly Float32Array[],
    gradient: readonly Float32Array[],
  ): { state: ServerOptimizerState; weights: Float32Array[] };
  /**
   * The same optimizer with another learning rate and the same state layout,
   * so that a schedule can change the rate between steps (TFF keeps the rate in
   * the optimizer state under `LEARNING_RATE_KEY` for the same purpose).
   * Optional: an optimizer without it cannot be scheduled.
   */
  withLearningRate?(learningRate: number): ServerOptimizer;
}

/** Options of {@link sgd} and {@link fedAvgM}. */
export interface SgdOptions {
  /** Defaults to 1.0 (plain averaging in FedAvg); a schedule makes it a function of the round. */
  readonly learningRate?: number | LearningRateSchedule;
  /** Heavy-ball momentum `v ← βv + g; w ← w − η·v` (TFF `build_sgdm`); 0 means no momentum slot. */
  readonly momentum?: number;
  /** Nesterov momentum as Keras's `SGD(nesterov=True)`: `v ← βv + g; w ← w − η·(βv + g)`. Default false. */
  readonly nesterov?: boolean;
}

/**
 * Server SGD, with optional (Nesterov) momentum. `sgd(1.0)` makes FedAvg a
 * plain (weighted) average of the clients' trained weights.
 *
 * Momentum follows TFF's `build_sgdm` (`v ← βv + g; w ← w − η·v`); Nesterov
 * follows Keras's `SGD(nesterov=True)`. With a constant learning rate both are
 * exactly Keras's velocity form (`v_k = −η·v`).
 *
 * Porting note: TFF's `build_sgdm` has no Nesterov option. Keras keeps
 * `−η·g` in its velocity, fedkit keeps `g` (as TFF); the two differ only when
 * the learning rate changes between steps (a schedule).
 *
 * @param learningRate η ≥ 0, default 1.0, or a {@link LearningRateSchedule} of the round.
 * @param momentum 0 ≤ β < 1, default 0.
 * @param nesterov use Nesterov momentum, default false (with β = 0 it is plain SGD, as in Keras).
 * @throws ValueError on a negative learning rate or a momentum outside [0, 1).
 * @example
 * ```ts
 * const process = buildWeightedFedAvg({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.1), serverOptimizerFn: () => sgd(1.0, 0.9, true) });
 * ```
 */
export function sgd(learningRate: number | LearningRateSchedule = 1.0, momentum = 0, nesterov = false): ServerOptimizer {
  if (typeof learningRate === 'function') return scheduleLearningRate(sgd(learningRate(0), momentum, nesterov), learningRate);
  checkLearningRate('sgd', 'learningRate', learningRate);
  if (!(momentum >= 0 && momentum < 1)) {
    throw new ValueError(`sgd expects 0 <= momentum < 1, found ${momentum}; pass e.g. momentum 0.9, or 0 for plain SGD.`);
  }
  const slotNames = momentum > 0 ? ['momentum'] : [];
  return {
    name: 'sgd',
    hyperparameters: { learningRate, momentum, nesterov },
    slotNames,
    initialize: (sizes) => initState(slotNames, sizes, {}),
    step(state, weights, gradient): { state: ServerOptimizerState; weights: Float32Array[] } {
      checkSizes('sgd', state, weights, gradient);
      if (momentum === 0) {
        // The main thread runs this over every parameter each round, between two rounds' clients.
        const next = weights.map((w, i) => sgdStepped(w, gradient[i]!, learningRate));
        return { state: { step: state.step + 1, slots: {} }, weights: next };
      }
      const velocity = state.slots['momentum']!.map((v, i) => map2(v, gradient[i]!, (vi, g) => momentum * vi + g));
      const next = weights.map((w, i) => {
        const out = new Float32Array(w.length);
        const v = velocity[i]!;
        const g = gradient[i]!;
        for (let k = 0; k < w.length; k++) out[k] = w[k]! - learningRate * (nesterov ? momentum * v[k]! + g[k]! : v[k]!);
        return out;
      });
      return { state: { step: state.step + 1, slots: { momentum: velocity } }, weights: next };
    },
    withLearningRate: (lr) => sgd(lr, momentum, nesterov),
  };
}

/**
 * FedAvgM (Hsu et al. 2019): server SGD with momentum.
 * @param options learningRate 1.0 and momentum 0.9 by default; `nesterov: true` for Nesterov momentum.
 * @example
 * ```ts
 * buildWeightedFedAvg({ modelFn, clientOptimizerFn, serverOptimizerFn: () => fedAvgM({ momentum: 0.9 }) });
 * ```
 */
export function fedAvgM(options: SgdOptions = {}): ServerOptimizer {
  return sgd(options.learningRate ?? 1.0, options.momentum ?? 0.9, options.nesterov ?? false);
}

/**
 * Which published form an adaptive server optimizer computes:
 * - `'tff'` (default): TFF's `build_adam` / `build_yogi` / `build_adagrad`, bias-corrected learning rate
 *   `η·√(1−β2ᵗ)/(1−β1ᵗ)` for Adam and Yogi, preconditioner starting at `initialPreconditionerValue`,
 *   Adagrad's ε inside the root (`g/√(v + ε)`) and no Adagrad momentum;
 * - `'reddi'`: Reddi et al. 2021, Algorithm 2 (also Flower's `FedYogi` / `FedAdagrad`): no bias correction,
 *   `w ← w − η·m/(√v + τ)` for all three, preconditioner from 0, Flower's default hyperparameters.
 */
export type AdaptiveVariant = 'tff' | 'reddi';

/** Options of the adaptive server optimizers (Reddi et al. 2021 notation; TFF's names in brackets). */
export interface AdaptiveOptions {
  /** Server learning rate η (`learning_rate`), ≥ 0, or a schedule of the round. Default 0.01 for Adam, 0.1 for Yogi and Adagrad (0.01 for all with `variant: 'reddi'`). */
  readonly eta?: number | LearningRateSchedule;
  /** First-moment decay β1 (`beta_1`). */
  readonly beta1?: number;
  /** Second-moment decay β2 (`beta_2`; unused by Adagrad). */
  readonly beta2?: number;
  /** Adaptivity τ (`epsilon`). */
  readonly tau?: number;
  /** Starting value of the preconditioner v (`initial_preconditioner_value`). */
  readonly initialPreconditionerValue?: number;
  /** `'tff'` (default) or `'reddi'`; see {@link AdaptiveVariant}. */
  readonly variant?: AdaptiveVariant;
}

type Rule = 'adam' | 'yogi' | 'adagrad';
type AdaptiveHyperparameters = { eta: number; beta1: number; beta2: number; tau: number; initialPreconditionerValue: number };

// TFF: adam.py, yogi.py, adagrad.py (build_* signatures). Reddi: Flower's FedAdam / FedYogi / FedAdagrad defaults.
// η has no default in TFF. Chosen on the built-in mnist-2nn task (README, "which peer each default matches"):
// TFF-form Adam at 0.1 fell to 21% accuracy after 10 rounds, at 0.01 it reached 91%; Yogi and Adagrad, whose
// first steps are smaller (v₀ > 0), learn fastest at 0.1 (TFF: "use 10x the learning rate used for Adam").
// The Reddi form starts v at 0, so every first step is about η per coordinate: 0.01 for all three.
const DEFAULTS: Record<AdaptiveVariant, Record<Rule, AdaptiveHyperparameters>> = {
  tff: {
    adam: { eta: 0.01, beta1: 0.9, beta2: 0.999, tau: 1e-7, initialPreconditionerValue: 0 },
    yogi: { eta: 0.1, beta1: 0.9, beta2: 0.999, tau: 1e-3, initialPreconditionerValue: 1e-6 },
    adagrad: { eta: 0.1, beta1: 0, beta2: 0, tau: 1e-7, initialPreconditionerValue: 0.1 },
  },
  reddi: {
    adam: { eta: 0.01, beta1: 0.9, beta2: 0.99, tau: 1e-9, initialPreconditionerValue: 0 },
    yogi: { eta: 0.01, beta1: 0.9, beta2: 0.99, tau: 1e-3, initialPreconditionerValue: 0 },
    adagrad: { eta: 0.01, beta1: 0, beta2: 0, tau: 1e-9, initialPreconditionerValue: 0 },
  },
};

/**
 * FedAdam (Reddi et al. 2021). By default TFF's `build_adam`
 * (η 0.01, β1 0.9, β2 0.999, ε 1e-7, v₀ = 0):
 * `m ← β1·m + (1−β1)·g`, `v ← β2·v + (1−β2)·g²`,
 * `w ← w − η·√(1−β2ᵗ)/(1−β1ᵗ)·m/(√v + ε)`.
 * With `variant: 'reddi'` (β2 0.99, τ 1e-9): `w ← w − η·m/(√v + τ)`.
 *
 * Porting note: η defaults to 0.01 (TFF has no default; Flower's 0.1 moves
 * every weight by about 0.1 in the first round, which wrecks small models).
 * @throws ValueError on a negative η, τ or preconditioner value, or β outside [0, 1).
 * @example
 * ```ts
 * buildWeightedFedAvg({ modelFn, clientOptimizerFn, serverOptimizerFn: () => fedAdam({ eta: 0.01 }) });
 * ```
 */
export function fedAdam(options: AdaptiveOptions = {}): ServerOptimizer {
  return adaptive('adam', options);
}

/**
 * FedYogi (Reddi et al. 2021). By default TFF's `build_yogi` (η 0.1, β1 0.9,
 * β2 0.999, ε 1e-3, v₀ = `initialPreconditionerValue` 1e-6): like FedAdam but
 * `v ← v + (1−β2)·g²·sign(g² − v)`, bias-corrected η.
 * With `variant: 'reddi'` (η 0.01, β2 0.99, v₀ = 0, no bias correction), Flower's `FedYogi`.
 * @throws ValueError on a negative η, τ or preconditioner value, or β outside [0, 1).
 * @example
 * ```ts
 * buildWeightedFedAvg({ modelFn, clientOptimizerFn, serverOptimizerFn: () => fedYogi() });
 * ```
 */
export function fedYogi(options: AdaptiveOptions = {}): ServerOptimizer {
  return adaptive('yogi', options);
}

/**
 * FedAdagrad (Reddi et al. 2021). By default TFF's `build_adagrad`
 * (η 0.1, v₀ = 0.1, ε 1e-7): `v ← v + g²`, `w ← w − η·g/√(v + ε)`.
 * With `variant: 'reddi'` (η 0.01, v₀ = 0, τ 1e-9, optional β1 momentum):
 * `m ← β1·m + (1−β1)·g`, `w ← w − η·m/(√v + τ)`.
 * @throws ValueError on a negative η, τ or preconditioner value, β outside [0, 1), or β1 ≠ 0 with the TFF variant.
 * @example
 * ```ts
 * buildWeightedFedAvg({ modelFn, clientOptimizerFn, serverOptimizerFn: () => fedAdagrad({ eta: 0.1 }) });
 * ```
 */
export function fedAdagrad(options: AdaptiveOptions = {}): ServerOptimizer {
  return adaptive('adagrad', options);
}

function adaptive(rule: Rule, options: AdaptiveOptions): ServerOptimizer {
  const variant = options.variant ?? 'tff';
  if (variant !== 'tff' && variant !== 'reddi') {
    throw new ValueError(`${rule} variant must be 'tff' or 'reddi', found ${JSON.stringify(variant)}.`);
  }
  const hp: AdaptiveHyperparameters = { ...DEFAULTS[variant][rule] };
  const schedule = typeof options.eta === 'function' ? options.eta : undefined;
  if (schedule !== undefined) return scheduleLearningRate(adaptive(rule, { ...options, eta: schedule(0) }), schedule);
  for (const key of ['eta', 'beta1', 'beta2', 'tau', 'initialPreconditionerValue'] as const) {
    const value = options[key];
    if (typeof value === 'number') hp[key] = value;
  }
  checkLearningRate(rule, 'eta', hp.eta);
  for (const key of ['beta1', 'beta2'] as const) {
    if (!(hp[key] >= 0 && hp[key] < 1)) throw new ValueError(`${rule} expects 0 <= ${key} < 1 (Beta), found ${hp[key]}.`);
  }
  for (const key of ['tau', 'initialPreconditionerValue'] as const) {
    if (!(hp[key] >= 0) || !Number.isFinite(hp[key])) {
      throw new ValueError(`${rule} expects a non-negative ${key === 'tau' ? 'tau (epsilon)' : 'initial preconditioner value'}, found ${hp[key]}.`);
    }
  }
  if (rule === 'adagrad' && variant === 'tff' && hp.beta1 !== 0) {
    throw new ValueError(`adagrad with variant 'tff' has no momentum (TFF build_adagrad), found beta1 ${hp.beta1}; use variant 'reddi' for beta1 > 0.`);
  }
  const biasCorrected = variant === 'tff' && rule !== 'adagrad';
  const epsilonInsideRoot = variant === 'tff' && rule === 'adagrad';
  const slotNames = ['m', 'v'];
  const make = (eta: number): ServerOptimizer => {
    checkLearningRate(rule, 'eta', eta);
    const { beta1, beta2, tau } = hp;
    return {
      name: rule,
      hyperparameters: { ...hp, eta, variant },
      slotNames,
      initialize: (sizes) => initState(slotNames, sizes, { v: hp.initialPreconditionerValue }),
      step(state, weights, gradient) {
        checkSizes(rule, state, weights, gradient);
        const t = state.step + 1;
        const lr = biasCorrected ? (eta * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t) : eta;
        const m = state.slots['m']!.map((mi, i) => map2(mi, gradient[i]!, (a, g) => beta1 * a + (1 - beta1) * g));
        const v = state.slots['v']!.map((vi, i) =>
          map2(vi, gradient[i]!, (s, g) => {
            const g2 = g * g;
            if (rule === 'adam') return beta2 * s + (1 - beta2) * g2;
            if (rule === 'yogi') return s + (1 - beta2) * g2 * Math.sign(g2 - s);
            return s + g2;
          }),
        );
        const next = weights.map((w, i) => {
          const out = new Float32Array(w.length);
          const mi = m[i]!;
          const vi = v[i]!;
          for (let k = 0; k < w.length; k++) {
            const denominator = epsilonInsideRoot ? Math.sqrt(vi[k]! + tau) : Math.sqrt(vi[k]!) + tau;
            out[k] = w[k]! - (lr * mi[k]!) / denominator;
          }
          return out;
        });
        return { state: { step: t, slots: { m, v } }, weights: next };
      },
      withLearningRate: make,
    };
  };
  return make(hp.eta);
}

/**
 * TFF's `tff.learning.optimizers.schedule_learning_rate`: the optimizer's
 * i-th step (counted from 0, i = `state.step`) uses the learning rate
 * `schedule(i)`; its state is the inner optimizer's, unchanged. With the
 * finalizer of `@fedkit/learning`, step i is round i, except that a round whose
 * aggregate was refused as non-finite does not advance the schedule.
 *
 * Porting note: TFF keeps a separate `round_num` in the state; here the
 * optimizer's own step count serves, so checkpoints keep their layout.
 * @throws KeyError when the optimizer has no learning rate to schedule (no
 *   `withLearningRate`), e.g. an optimizer that is already scheduled, as TFF.
 * @example
 * ```ts
 * const server = scheduleLearningRate(fedAdam(), exponentialDecay({ initialLearningRate: 0.01, decaySteps: 10, decayRate: 0.5 }));
 * buildWeightedFedAvg({ modelFn, clientOptimizerFn, serverOptimizerFn: () => server });
 * ```
 */
export function scheduleLearningRate(optimizer: ServerOptimizer, schedule: LearningRateSchedule): ServerOptimizer {
  if (typeof schedule !== 'function') throw new TypeError(`scheduleLearningRate expects a function round → learning rate, found ${typeof schedule}.`);
  const withLearningRate = optimizer.withLearningRate;
  if (withLearningRate === undefined) {
    throw new KeyError(
      `Optimizer to be scheduled must have learning rate (a withLearningRate method); "${optimizer.name}" has none. ` +
        'Schedule a built-in optimizer (sgd, fedAdam, ...) once, not an already scheduled one.',
    );
  }
  return {
    name: optimizer.name,
    hyperparameters: { ...optimizer.hyperparameters, scheduled: true },
    slotNames: optimizer.slotNames,
    initialize: (sizes) => optimizer.initialize(sizes),
    step: (state, weights, gradient) => withLearningRate.call(optimizer, schedule(state.step)).step(state, weights, gradient),
  };
}

function initState(slotNames: readonly string[], sizes: readonly number[], initialValues: Readonly<Record<string, number>>): ServerOptimizerState {
  const slots: Record<string, Float32Array[]> = {};
  for (const s of slotNames) slots[s] = sizes.map((n) => new Float32Array(n).fill(initialValues[s] ?? 0));
  return { step: 0, slots };
}

function map2(a: Float32Array, b: Float32Array, f: (x: number, y: number) => number): Float32Array {
  const out = new Float32Array(a.length);
  for (let k = 0; k < a.length; k++) out[k] = f(a[k]!, b[k]!);
  return out;
}

// TFF (py_typecheck.check_non_negative_float) accepts 0: a schedule may decay to it.
function checkLearningRate(name: string, what: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new ValueError(`${name} expects a non-negative finite learning rate (${what}), found ${value}; pass e.g. 0.01.`);
  }
}

function checkSizes(name: string, state: ServerOptimizerState, weights: readonly Float32Array[], gradient: readonly Float32Array[]): void {
  const ok =
    weights.length === gradient.length &&
    weights.every((w, i) => w.length === gradient[i]!.length) &&
    Object.values(state.slots).every((slot) => slot.length === weights.length && slot.every((s, i) => s.length === weights[i]!.length));
  if (!ok) {
    throw new ValueError(
      `${name}: weights [${weights.map((w) => w.length).join(',')}], update [${gradient.map((g) => g.length).join(',')}] and ` +
        'optimizer slots must have the same sizes; restore a state made for this model.',
    );
  }
}

/**
 * `w − learningRate · g` into a new array, four values per iteration (V8 checks the bounds once per group):
 * plain SGD's step on the main thread, between two rounds.
 */
function sgdStepped(w: Float32Array, g: Float32Array, learningRate: number): Float32Array {
  const out = new Float32Array(w.length);
  const n = w.length - (w.length % 4);
  let k = 0;
  for (; k < n; k += 4) {
    out[k] = w[k]! - learningRate * g[k]!;
    out[k + 1] = w[k + 1]! - learningRate * g[k + 1]!;
    out[k + 2] = w[k + 2]! - learningRate * g[k + 2]!;
    out[k + 3] = w[k + 3]! - learningRate * g[k + 3]!;
  }
  for (; k < w.length; k++) out[k] = w[k]! - learningRate * g[k]!;
  return out;
}
