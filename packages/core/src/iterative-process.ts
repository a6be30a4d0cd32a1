import type { FunctionSpec } from './function-spec.js';

/**
 * The type signatures of an iterative process's two computations, printed in
 * TFF notation by `toString()`, e.g. `( -> <...>@SERVER)`.
 */
export interface IterativeProcessSignature {
  readonly initialize: FunctionSpec;
  readonly next: FunctionSpec;
}

/**
 * A pair of computations `initialize` and `next` (TFF's
 * `tff.templates.IterativeProcess`): `next` maps a state and inputs to an
 * output that carries the next state.
 */
export interface IterativeProcess<S, I extends readonly unknown[], O extends { readonly state: S }> {
  initialize(): S;
  next(state: S, ...inputs: I): Promise<O>;
  readonly typeSignature: IterativeProcessSignature;
}
