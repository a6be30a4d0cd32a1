import * as tf from '@tensorflow/tfjs';
import type { Metric as MetricContract } from '@fedkit/core';

/** Options every metric takes. */
export interface MetricOptions {
  /** Overrides the default Keras snake_case name. */
  name?: string;
}

/** A class's declared config keys; `undefined` means "not declared, not checked". */
export type ConfigKeys = readonly string[] | undefined;

/** What `fromConfig` needs of a class: a constructor taking the config, and its declared keys. */
export interface MetricConstructor<M extends Metric = Metric> {
  new (config: Record<string, unknown>): M;
  readonly name: string;
  /** Config keys the constructor cannot do without; `fromConfig` throws a `TypeError` when one is missing. */
  readonly requiredConfigKeys?: ConfigKeys;
  /**
   * Every config key the constructor understands besides `name`. When declared,
   * `fromConfig` throws a `TypeError` for any other key, so that a misspelt
   * option (`{ kk: 3 }`) cannot silently fall back to its default.
   */
  readonly configKeys?: ConfigKeys;
}

/** A metric class: a {@link MetricConstructor} with the static `fromConfig` every {@link Metric} subclass inherits. */
export interface MetricClass<M extends Metric = Metric> extends MetricConstructor<M> {
  fromConfig(config: Record<string, unknown>): M;
}

/**
 * Base of fedkit's stateful metrics: `tf.keras.metrics.Metric` plus TFF's
 * unfinalized-state protocol. State lives in `tf.Variable`s, updated with
 * `assign` inside `tf.tidy`, so a forward pass never reads values back to JS;
 * only `unfinalizedState()` and `result()` download the (few) state numbers.
 *
 * A subclass creates its state with {@link Metric.addWeight} in the constructor,
 * in the order `unfinalizedState()` flattens it, implements `updateState` and
 * `finalize`, and returns every constructor argument from `getConfig()`.
 * Federated contract: the state must be additive (counts and sums), so that
 * summing the states of several clients and finalizing equals the metric on the
 * union of their data.
 *
 * @example
 * ```ts
 * class SumOfSquares extends Metric {
 *   private readonly total = this.addWeight('total');
 *   constructor(options: MetricOptions = {}) { super('sum_of_squares', options); }
 *   updateState(yTrue: tf.Tensor, yPred: tf.Tensor): void {
 *     tf.tidy(() => this.accumulate(this.total, tf.sum(tf.squaredDifference(yPred, yTrue))));
 *   }
 *   finalize(state: number[]): number { return state[0]!; }
 * }
 * ```
 */
export abstract class Metric implements MetricContract {
  readonly name: string;
  readonly variables: tf.Variable[] = [];

  /**
   * @throws TypeError when `options` holds a key the class does not declare in
   *   `configKeys` (a misspelt option would otherwise fall back to its default).
   */
  constructor(defaultName: string, options: MetricOptions = {}) {
    // Checked before any state variable exists, so a rejected metric leaks nothing.
    checkUnknownKeys(new.target as unknown as MetricConstructor, options as Record<string, unknown>);
    this.name = options.name ?? defaultName;
  }

  /**
   * Rebuilds a metric from `getConfig()` output (Keras's `from_config`): checks
   * the config against the class's `requiredConfigKeys` and `configKeys`, then
   * calls the constructor with it.
   *
   * @throws TypeError when the config misses a key the class requires (a server
   *   would otherwise build a metric that finalizes to a wrong number), or holds
   *   a key the class does not know.
   * @example
   * ```ts
   * const server = Precision.fromConfig(new Precision({ thresholds: [0.3] }).getConfig());
   * ```
   */
  static fromConfig<M extends Metric>(this: MetricConstructor<M>, config: Record<string, unknown>): M {
    checkConfig(this, config);
    return new this(config);
  }

  /** Creates a zero-initialized float32 state variable, appended to `variables`. */
  protected addWeight(name: string, shape: number[] = []): tf.Variable {
    // tidy disposes the zeros; the variable holds its own reference to the data.
    const v = tf.tidy(() => tf.variable(tf.zeros(shape), false, `${this.name}/${name}_${nextId++}`));
    this.variables.push(v);
    return v;
  }

  /** Adds `delta` (same number of elements) to `variable` in place. Call inside `tf.tidy`. */
  protected accumulate(variable: tf.Variable, delta: tf.Tensor): void {
    // Cast and reshape only when needed: each is a kernel, and this runs for every metric on every batch.
    const d = delta.dtype === 'float32' ? delta : tf.cast(delta, 'float32');
    variable.assign(tf.add(variable, tf.util.arraysEqual(d.shape, variable.shape) ? d : d.reshape(variable.shape)));
  }

  abstract updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): void;

  abstract finalize(state: number[]): number;

  result(): number {
    return this.finalize(this.unfinalizedState());
  }

  resetState(): void {
    for (const v of this.variables) tf.tidy(() => v.assign(tf.zerosLike(v)));
  }

  unfinalizedState(): number[] {
    return this.variables.flatMap((v) => Array.from(v.dataSync()));
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }

  /** Disposes the state variables; the metric cannot be used afterwards. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.variables.length = 0;
  }
}

// tfjs variable names are global; a counter keeps two metrics of one name apart.
let nextId = 0;

/**
 * Checks `config` against a metric class's declared keys.
 * @throws TypeError naming the missing or unknown keys.
 */
export function checkConfig(cls: Pick<MetricConstructor, 'name' | 'requiredConfigKeys' | 'configKeys'>, config: Record<string, unknown>): void {
  const found = Object.keys(config);
  const missing = (cls.requiredConfigKeys ?? []).filter((k) => config[k] === undefined);
  if (missing.length > 0) {
    throw new TypeError(
      `Cannot build ${cls.name} from its config: missing ${missing.map((k) => `"${k}"`).join(', ')} ` +
        `(found keys: ${found.join(', ') || 'none'}). Pass them, and make getConfig() return every constructor argument.`,
    );
  }
  checkUnknownKeys(cls, config);
}

/**
 * Checks that every key of `options` is `name` or one of the class's declared
 * `configKeys` (no check when the class declares none).
 * @throws TypeError naming the unknown keys and listing the accepted ones.
 */
export function checkUnknownKeys(cls: Pick<MetricConstructor, 'name' | 'configKeys'>, options: Record<string, unknown>): void {
  if (cls.configKeys === undefined) return;
  const known = ['name', ...cls.configKeys];
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new TypeError(
      `${cls.name}: unknown option ${unknown.map((k) => `"${k}"`).join(', ')}; ` +
        `it takes ${known.map((k) => `"${k}"`).join(', ')} (camelCase, as in the constructor). Fix the spelling or drop the key.`,
    );
  }
}

/** Keras's `div_no_nan`: 0 where the denominator is 0. */
export function divNoNan(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}
