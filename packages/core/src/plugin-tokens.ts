import type { ClientExecutor } from './client-task.js';
import type { ClientEnvironment, EnvironmentSpec } from './client-environment.js';
import type { AggregatorFactory } from './learning-blocks.js';
import type { LabeledArrays } from './labeled-arrays.js';
import type { Loss } from './loss.js';
import type { Metric } from './metric.js';

/** Token under which every loss plugin is registered. */
export const LOSS_PLUGIN: unique symbol = Symbol.for('fedkit.LossPlugin');
/** Token under which every metric plugin is registered. */
export const METRIC_PLUGIN: unique symbol = Symbol.for('fedkit.MetricPlugin');
/** Token under which every tensor-backend runtime plugin is registered. */
export const RUNTIME_PLUGIN: unique symbol = Symbol.for('fedkit.RuntimePlugin');

/** Makes a loss by name; `config` carries constructor options such as `{ fromLogits: true }`. */
export interface LossPlugin {
  readonly name: string;
  create(config?: Record<string, unknown>): Loss;
}

/** Makes a metric by name; `config` carries constructor options such as `{ k: 5 }`. */
export interface MetricPlugin {
  readonly name: string;
  create(config?: Record<string, unknown>): Metric;
}

/**
 * A tensor backend fedkit can run on (cpu, wasm, webgpu, tensorflow-gpu).
 * `isAvailable` never throws; when it resolves false, `unavailableReason()`
 * says why (missing package, no adapter, driver rejected).
 */
export interface RuntimePlugin {
  readonly name: string;
  /** Higher wins when no runtime is asked for by name. */
  readonly priority: number;
  /** What the runtime computes on; `selectRuntime(c, 'gpu')` considers only `'gpu'` ones. */
  readonly device?: 'cpu' | 'gpu';
  isAvailable(): Promise<boolean>;
  /** Makes this runtime's backend the active tfjs backend; throws when it cannot. */
  activate(): Promise<void>;
  /** Why the last `isAvailable()` resolved false, for the line `selectRuntime` prints. */
  unavailableReason?(): string | undefined;
}

/** Token under which every aggregator plugin (`--aggregator`) is registered. */
export const AGGREGATOR_PLUGIN: unique symbol = Symbol.for('fedkit.AggregatorPlugin');
/** Token under which every client executor plugin (`--executor`) is registered. */
export const EXECUTOR_PLUGIN: unique symbol = Symbol.for('fedkit.ExecutorPlugin');

/** What an aggregator plugin may use to build itself: the run's population and seed. */
export interface AggregatorContext {
  readonly clients: number;
  readonly clientsPerRound: number;
  readonly seed: number;
}

/**
 * Makes an aggregator factory from a spec such as `trimmed-mean:0.1`: the
 * name, then numeric arguments separated by `:`.
 */
export interface AggregatorPlugin {
  readonly name: string;
  /** The accepted form, e.g. `trimmed-mean:<beta>` or `clip:<norm>`; shown by `--help`. */
  readonly usage: string;
  /** One line for `--help`. */
  readonly description: string;
  /** @throws ValueError when the arguments are out of range. */
  create(args: readonly number[], context: AggregatorContext): AggregatorFactory;
}

/** What an executor plugin is given to build an executor for a run. */
export interface ExecutorContext {
  /** This thread's environment (in-process executors run on it). */
  readonly environment: ClientEnvironment;
  /** How a worker elsewhere builds the same environment. */
  readonly environmentSpec?: EnvironmentSpec;
  /** Training data that workers share (worker threads put it in shared memory). */
  readonly sharedData?: LabeledArrays;
  /** Parallel clients (worker threads, jobs in flight); the plugin's default when undefined. */
  readonly concurrency?: number;
  /** Executor-specific options from flags or config (e.g. `{ redis: 'redis://...' }`). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Makes a {@link ClientExecutor} by name; `close()` stops what `create` started. */
export interface ExecutorPlugin {
  readonly name: string;
  readonly description: string;
  create(context: ExecutorContext): Promise<ClientExecutor & { close(): Promise<void> }>;
}
