import * as tf from '@tensorflow/tfjs';
import type { Metric as MetricContract } from '@fedkit/core';

/** Options every metric takes. */
export interface MetricOptions {
  /** Overrides the default Keras snake_case name. */
  name?: string;
}

/** A metric class as `fromConfig` sees it. */
export interface MetricClass<M extends Metric = Metric> {
  new (config: Record<string, unknown>): M;
  /** Config keys the constructor cannot do without; `fromConfig` checks them. */
  readonly requiredConfigKeys?: readonly string[];
  /** Inherited from {@link Metric.fromConfig}. */
  fromConfig(config: Record<string, unknown>): M;
}

/**
 * Base of fedkit's stateful metrics (`tf.keras.metrics.Metric` plus TFF's
 * unfinalized-state protocol). State lives in `tf.Variable`s, updated with
 * `assign` inside `tf.tidy`, so a forward pass never reads values back to JS.
 *
 * Subclasses create their state with `addWeight` in the constructor, in the
 * order `unfinalizedState()` flattens it, and implement `updateState` and
 * `finalize`. Summing the states of several clients and finalizing equals the
 * metric on the union of their data.
 */
export abstract class Metric implements MetricContract {
  readonly name: string;
  readonly variables: tf.Variable[] = [];

  constructor(defaultName: string, options: MetricOptions = {}) {
    this.name = options.name ?? defaultName;
  }

  /**
   * Rebuilds a metric from `getConfig()` output.
   * @throws TypeError when the config misses a key the class requires, rather than
   *   building a metric that would finalize to a wrong number.
   */
  static fromConfig<M extends Metric>(this: MetricClass<M>, config: Record<string, unknown>): M {
    const missing = (this.requiredConfigKeys ?? []).filter((k) => config[k] === undefined);
    if (missing.length > 0) {
      throw new TypeError(
        `Cannot rebuild ${this.name} from its config: missing ${missing.map((k) => `"${k}"`).join(', ')} ` +
          `(found keys: ${Object.keys(config).join(', ') || 'none'}). Make getConfig() return every constructor argument.`,
      );
    }
    return new this(config);
  }

  /** Creates a zero-initialized float32 state variable. */
  protected addWeight(name: string, shape: number[] = []): tf.Variable {
    const v = tf.variable(tf.zeros(shape), false, `${this.name}/${name}_${nextId++}`);
    this.variables.push(v);
    return v;
  }

  /** Adds `delta` to `variable` in place. Call inside `tf.tidy`. */
  protected accumulate(variable: tf.Variable, delta: tf.Tensor): void {
    variable.assign(tf.add(variable, delta.reshape(variable.shape)));
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

  /** Disposes the state variables. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.variables.length = 0;
  }
}

// tfjs variable names are global; a counter keeps two metrics of one name apart.
let nextId = 0;

/** Keras's `div_no_nan`: 0 where the denominator is 0. */
export function divNoNan(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}
