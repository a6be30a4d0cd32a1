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
