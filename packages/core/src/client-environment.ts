import type { ClientDataRef } from './client-task.js';
import type { LabeledArrays } from './labeled-arrays.js';
import type { ClientDataset } from './learning-blocks.js';
import type { Model } from './model.js';

/**
 * What a client needs to run tasks, wherever it runs: the model it trains
 * (built once and reused, weights assigned per task) and a resolver of data
 * references. An executor's worker (thread, process, machine) builds one from
 * an {@link EnvironmentSpec}.
 */
export interface ClientEnvironment {
  readonly model: Model;
  /** Turns a data reference into the client's dataset. */
  resolveData(ref: ClientDataRef, signal?: AbortSignal): ClientDataset;
  /** The tfjs runtime this environment activated, and the line saying why. */
  readonly runtime?: string;
  readonly runtimeMessage?: string;
  /** Frees the model and anything else the environment holds. */
  dispose?(): void;
}

/**
 * How a remote worker builds its {@link ClientEnvironment}: a module (an
 * absolute path, `file:` URL or package name) whose export
 * `createClientEnvironment(options)` returns one, and plain JSON options.
 */
export interface EnvironmentSpec {
  readonly module: string;
  readonly options: unknown;
}

/** What a worker hands to `createClientEnvironment` beside the options: data it already shares. */
export interface EnvironmentContext {
  /** Training data in shared memory (worker threads), when the executor was given some. */
  readonly sharedData?: LabeledArrays;
}

/** The export an environment module must have. */
export type CreateClientEnvironment = (options: unknown, context: EnvironmentContext) => ClientEnvironment | Promise<ClientEnvironment>;
