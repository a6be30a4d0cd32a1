/**
 * Server optimizers of FedOpt — Reddi et al., "Adaptive Federated Optimization",
 * ICLR 2021 (https://arxiv.org/abs/2003.00295) — and FedAvgM — Hsu et al.,
 * "Measuring the Effects of Non-Identical Data Distribution for Federated
 * Visual Classification", 2019 (https://arxiv.org/abs/1909.06335).
 *
 * They work on plain Float32Arrays so that their state is part of the learning
 * process state (and of checkpoints) and a resumed run is exact.
 *
 * The aggregate update is a pseudo-gradient `g = initial − trained` (TFF HEAD
 * sign), so every optimizer moves the weights against it: `w ← w − η·f(g)`.
 */

/** A server optimizer's state: its step count and its named slots (one Float32Array per weight). */
export interface ServerOptimizerState {
  readonly step: number;
  readonly slots: Readonly<Record<string, Float32Array[]>>;
}

/** An optimizer applied at the server to the aggregate update, as a pseudo-gradient. */
export interface ServerOptimizer {
  /** `sgd`, `adam`, `yogi` or `adagrad`. */
  readonly name: string;
  /** Its hyperparameters, for logs and checkpoints. */
  readonly hyperparameters: Readonly<Record<string, number>>;
  /** Names of its slots, in the order they appear in the state. */
  readonly slotNames: readonly string[];
  /** Zero slots for weights of the given sizes. */
  initialize(sizes: readonly number[]): ServerOptimizerState;
  /** One step: returns new weights and state; the inputs are left untouched. */
  step(
    state: ServerOptimizerState,
    weights: readonly Float32Array[],
    gradient: readonly Float32Array[],
  ): { state: ServerOptimizerState; weights: Float32Array[] };
}

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** Defaults to 1.0 (plain averaging in FedAvg). */
  readonly learningRate?: number;
  /** Heavy-ball momentum `v ← βv + g; w ← w − η·v`; 0 (default) means no momentum slot. */
  readonly momentum?: number;
}

/**
 * Server SGD, with optional momentum. `sgd(1.0)` makes FedAvg a plain
 * (weighted) average of the clients' trained weights.
 *
 * @example
 * ```ts
 * const process = buildWeightedFedAvg({ modelFn, clientOptimizerFn: () => tf.train.sgd(0.1), serverOptimizerFn: () => sgd(1.0) });
 * ```
 */
export function sgd(learningRate = 1.0, momentum = 0): ServerOptimizer {
  checkPositive('sgd', 'learningRate', learningRate);
  if (!(momentum >= 0 && momentum < 1)) throw new RangeError(`sgd expects 0 <= momentum < 1, found ${momentum}.`);
  const slotNames = momentum > 0 ? ['momentum'] : [];
  return {
    name: 'sgd',
    hyperparameters: { learningRate, momentum },
    slotNames,
    initialize: (sizes) => initState(slotNames, sizes),
    step(state, weights, gradient): { state: ServerOptimizerState; weights: Float32Array[] } {
      checkSizes('sgd', state, weights, gradient);
      if (momentum === 0) {
        return { state: { step: state.step + 1, slots: {} }, weights: weights.map((w, i) => map2(w, gradient[i]!, (x, g) => x - learningRate * g)) };
      }
      const velocity = state.slots['momentum']!.map((v, i) => map2(v, gradient[i]!, (vi, g) => momentum * vi + g));
      return {
        state: { step: state.step + 1, slots: { momentum: velocity } },
        weights: weights.map((w, i) => map2(w, velocity[i]!, (x, v) => x - learningRate * v)),
      };
    },
  };
}

/**
 * FedAvgM (Hsu et al. 2019): server SGD with momentum.
 * @param options learningRate 1.0 and momentum 0.9 by default.
 * @example
 * ```ts
 * buildWeightedFedAvg({ modelFn, clientOptimizerFn, serverOptimizerFn: () => fedAvgM({ momentum: 0.9 }) });
 * ```
 */
export function fedAvgM(options: SgdOptions = {}): ServerOptimizer {
  return sgd(options.learningRate ?? 1.0, options.momentum ?? 0.9);
}

/** Options of the adaptive server optimizers (Reddi et al. 2021 notation). */
export interface AdaptiveOptions {
  /** Server learning rate η. */
  readonly eta?: number;
  /** First-moment decay β1. */
  readonly beta1?: number;
  /** Second-moment decay β2 (unused by Adagrad). */
  readonly beta2?: number;
  /** Adaptivity τ, added to √v. */
  readonly tau?: number;
}

/**
 * FedAdam (Reddi et al. 2021, Algorithm 2), with Flower's defaults η 0.1,
 * β1 0.9, β2 0.99, τ 1e-9; moments start at zero:
 * `m ← β1·m + (1−β1)·g`, `v ← β2·v + (1−β2)·g²`, `w ← w − η·m/(√v + τ)`.
 *
 * Porting note: no bias correction, as in the paper's Algorithm 2 (Flower's
 * later versions scale η by √(1−β2^t)/(1−β1^t)).
 * @example
 * ```ts
 * buildWeightedFedAvg({ modelFn, clientOptimizerFn, serverOptimizerFn: () => fedAdam({ eta: 0.01 }) });
 * ```
 */
export function fedAdam(options: AdaptiveOptions = {}): ServerOptimizer {
  return adaptive('adam', { eta: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-9, ...options }, (v, g, beta2) => beta2 * v + (1 - beta2) * g * g);
}

/**
 * FedYogi (Reddi et al. 2021), with Flower's defaults η 0.01, β1 0.9, β2 0.99,
 * τ 1e-3: like FedAdam but `v ← v − (1−β2)·g²·sign(v − g²)`.
 * @example
 * ```ts
 * buildWeightedFedAvg({ modelFn, clientOptimizerFn, serverOptimizerFn: () => fedYogi() });
 * ```
 */
export function fedYogi(options: AdaptiveOptions = {}): ServerOptimizer {
  return adaptive('yogi', { eta: 0.01, beta1: 0.9, beta2: 0.99, tau: 1e-3, ...options }, (v, g, beta2) => {
    const g2 = g * g;
    return v - (1 - beta2) * g2 * Math.sign(v - g2);
  });
}

/**
 * FedAdagrad (Reddi et al. 2021), with Flower's defaults η 0.1, τ 1e-9 and
 * β1 0 (no momentum): `v ← v + g²`, `w ← w − η·g/(√v + τ)`.
 * @example
 * ```ts
 * buildWeightedFedAvg({ modelFn, clientOptimizerFn, serverOptimizerFn: () => fedAdagrad({ eta: 0.1 }) });
 * ```
 */
export function fedAdagrad(options: AdaptiveOptions = {}): ServerOptimizer {
  return adaptive('adagrad', { eta: 0.1, beta1: 0, beta2: 0, tau: 1e-9, ...options }, (v, g) => v + g * g);
}

function adaptive(
  name: string,
  hp: { eta: number; beta1: number; beta2: number; tau: number },
  secondMoment: (v: number, g: number, beta2: number) => number,
): ServerOptimizer {
  checkPositive(name, 'eta', hp.eta);
  if (!(hp.beta1 >= 0 && hp.beta1 < 1) || !(hp.beta2 >= 0 && hp.beta2 < 1) || !(hp.tau >= 0)) {
    throw new RangeError(`${name} expects 0 <= beta1, beta2 < 1 and tau >= 0, found beta1 ${hp.beta1}, beta2 ${hp.beta2}, tau ${hp.tau}.`);
  }
  const slotNames = ['m', 'v'];
  return {
    name,
    hyperparameters: { ...hp },
    slotNames,
    initialize: (sizes) => initState(slotNames, sizes),
    step(state, weights, gradient) {
      checkSizes(name, state, weights, gradient);
      const m = state.slots['m']!.map((mi, i) => map2(mi, gradient[i]!, (a, g) => hp.beta1 * a + (1 - hp.beta1) * g));
      const v = state.slots['v']!.map((vi, i) => map2(vi, gradient[i]!, (a, g) => secondMoment(a, g, hp.beta2)));
      const next = weights.map((w, i) => {
        const out = new Float32Array(w.length);
        const mi = m[i]!;
        const vi = v[i]!;
        for (let k = 0; k < w.length; k++) out[k] = w[k]! - (hp.eta * mi[k]!) / (Math.sqrt(vi[k]!) + hp.tau);
        return out;
      });
      return { state: { step: state.step + 1, slots: { m, v } }, weights: next };
    },
  };
}

function initState(slotNames: readonly string[], sizes: readonly number[]): ServerOptimizerState {
  const slots: Record<string, Float32Array[]> = {};
  for (const s of slotNames) slots[s] = sizes.map((n) => new Float32Array(n));
  return { step: 0, slots };
}

function map2(a: Float32Array, b: Float32Array, f: (x: number, y: number) => number): Float32Array {
  const out = new Float32Array(a.length);
  for (let k = 0; k < a.length; k++) out[k] = f(a[k]!, b[k]!);
  return out;
}

function checkPositive(name: string, what: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} expects a positive finite ${what}, found ${value}.`);
}

function checkSizes(name: string, state: ServerOptimizerState, weights: readonly Float32Array[], gradient: readonly Float32Array[]): void {
  const ok =
    weights.length === gradient.length &&
    weights.every((w, i) => w.length === gradient[i]!.length) &&
    Object.values(state.slots).every((slot) => slot.length === weights.length && slot.every((s, i) => s.length === weights[i]!.length));
  if (!ok) {
    throw new RangeError(
      `${name}: weights [${weights.map((w) => w.length).join(',')}], update [${gradient.map((g) => g.length).join(',')}] and ` +
        'optimizer slots must have the same sizes; restore a state made for this model.',
    );
  }
}
