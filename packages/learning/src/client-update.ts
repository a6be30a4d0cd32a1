import type * as tf from '@tensorflow/tfjs';

import type { ClientDataset, Model, ModelWeightArrays, OptimizerConfig } from '@fedkit/core';

/** Token under which client-update blocks are registered (resolved by name in every executor). */
export const CLIENT_UPDATE_PLUGIN: unique symbol = Symbol.for('fedkit.ClientUpdatePlugin');

/** What a {@link ClientUpdate} is given: the model already holds `weights`, its metrics are reset. */
export interface ClientUpdateContext {
  readonly model: Model;
  /** The broadcast weights (the model starts from them). */
  readonly weights: ModelWeightArrays;
  readonly dataset: ClientDataset;
  /** The client optimizer, fresh for this client, when the block `needsOptimizer`. */
  readonly optimizer?: tf.Optimizer;
  /** The block's options from the task (`ClientUpdateSpec.config`). */
  readonly config: Readonly<Record<string, number | string | boolean>>;
  readonly signal?: AbortSignal;
  /** Starts error messages, e.g. `client 12`. */
  readonly label: string;
  /** A `performance.now()` time after which the block starts no further batch (pass it to `forEachBatch`). */
  readonly deadline?: number;
  /** The client optimizer's config when the task gave one (a function optimizer has none). */
  readonly optimizerConfig?: OptimizerConfig;
  /** The task's named input arrays (`ClientTask.inputs`), e.g. control variates. */
  readonly inputs: Readonly<Record<string, readonly Float32Array[]>>;
  /**
   * Arrays of these lengths to write the update into, from the executor (a worker thread lends shared memory
   * that crosses to the main thread without a copy), or `undefined`: then allocate. Optional for blocks.
   */
  readonly allocateUpdate?: (lengths: readonly number[]) => Float32Array[] | undefined;
}

/** What a {@link ClientUpdate} computes. */
export interface ClientUpdateOutput {
  /** One array per trainable weight. */
  readonly update: Float32Array[];
  readonly numExamples: number;
  readonly numBatches: number;
  /** Side values for the server (e.g. `local_steps`). */
  readonly extra?: Readonly<Record<string, number>>;
  /** Named arrays for the server beside the update (e.g. a control-variate change). */
  readonly outputs?: Readonly<Record<string, Float32Array[]>>;
}

/**
 * A client-update block (TFF's client work body): how one client turns the
 * broadcast model and its data into an update. Registered by `name`, so that
 * a client task names it as plain data and any executor can run it.
 */
export interface ClientUpdate {
  readonly name: string;
  /** True when it takes optimizer steps (the task must carry a client optimizer). */
  readonly needsOptimizer: boolean;
  /** The option names it accepts in `config`; others are refused. */
  readonly configKeys: readonly string[];
  run(context: ClientUpdateContext): Promise<ClientUpdateOutput>;
}
