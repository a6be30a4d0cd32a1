/**
 * Measurements a block reports for one `next` call: plain, JSON-serializable
 * numbers nested in records (TFF's `measurements`), e.g.
 * `{ mean_value: {}, mean_weight: {} }` or `{ update_non_finite: 0 }`.
 */
export interface Measurements {
  readonly [name: string]: number | Measurements;
}

/**
 * What every block's `next` returns (TFF's `tff.templates.MeasuredProcessOutput`):
 * the new state, the result handed to the next block, and measurements.
 */
export interface MeasuredProcessOutput<S, R, M = Measurements> {
  readonly state: S;
  readonly result: R;
  readonly measurements: M;
}

/**
 * A stateful computation that reports measurements (TFF's
 * `tff.templates.MeasuredProcess`): `initialize()` makes the first state and
 * `next(state, ...inputs)` advances it.
 */
export interface MeasuredProcess<S, I extends readonly unknown[], R, M = Measurements> {
  initialize(): S;
  next(state: S, ...inputs: I): Promise<MeasuredProcessOutput<S, R, M>>;
}
