import * as tf from '@tensorflow/tfjs';

import {
  checkCompatible,
  disposeBatch,
  ModelWeights,
  normalizeBatch,
  type ClientDataset,
  type Model,
  type ModelWeightArrays,
  type UnfinalizedMetrics,
} from '@fedkit/core';

import { iterateBatches } from './iterate-batches.js';

/**
 * How a client computes its update:
 * - `local_training`: optimizer steps over its data; update = initial − trained (FedAvg, FedProx).
 * - `gradient`: no step; update = the example-weighted mean gradient at the broadcast weights (FedSGD).
 *
 * Plain JSON, so a worker thread can receive it.
 */
export interface ClientTrainingConfig {
  readonly mode: 'local_training' | 'gradient';
  /** FedProx's μ: adds μ/2‖w − w_global‖² to the training loss (local_training only). 0 or absent: none. */
  readonly proximalStrength?: number;
}

/** Options of {@link trainClient}. */
export interface TrainClientOptions extends ClientTrainingConfig {
  /** Checked between batches. */
  readonly signal?: AbortSignal;
  /** Used in error messages (`client 3: ...`). */
  readonly clientIndex?: number;
}

/** What one client produced. */
export interface ClientTrainingResult {
  /** One array per trainable weight: `initial − trained`, or the mean gradient in `gradient` mode. */
  readonly update: Float32Array[];
  /** Number of examples, or 0 when the update was non-finite (then `update` is zeros). */
  readonly updateWeight: number;
  readonly updateNonFinite: boolean;
  readonly numExamples: number;
  readonly numBatches: number;
  /** The model's unfinalized metrics after the pass (loss, num_examples, num_batches, user metrics). */
  readonly metrics: UnfinalizedMetrics;
}

/** An error raised while a client trained, carrying how far it got. */
export class ClientTrainingError extends Error {
  constructor(
    message: string,
    readonly numExamples: number,
    readonly numBatches: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ClientTrainingError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * One client's work for a round, as a plain function that a worker thread can
 * call: assigns `weights` to `model` (trainable and non-trainable), resets its
 * metrics, makes one pass over `dataset` (each batch checked against
 * `model.inputSpec`, then disposed) and returns the update.
 *
 * `optimizer` is required in `local_training` mode; the caller owns it
 * (create it fresh per client and dispose it after, as TFF does).
 * A non-finite update is replaced by zeros with weight 0.
 *
 * @throws ClientTrainingError when the data or the model fails; the message starts with `client <i>:`.
 *   An abort rethrows the signal's reason.
 * @example
 * ```ts
 * const opt = tf.train.sgd(0.1);
 * const r = await trainClient(model, globalWeights, batches, opt, { mode: 'local_training' });
 * opt.dispose();
 * ```
 */
export async function trainClient(
  model: Model,
  weights: ModelWeightArrays,
  dataset: ClientDataset,
  optimizer: tf.Optimizer | undefined,
  options: TrainClientOptions,
): Promise<ClientTrainingResult> {
  const who = `client ${options.clientIndex ?? '?'}`;
  if (options.mode === 'local_training' && optimizer === undefined) {
    throw new TypeError(`${who}: trainClient in local_training mode needs an optimizer (clientOptimizerFn()).`);
  }
  const initial = ModelWeights.fromArrays(weights);
  try {
    initial.assignWeightsTo(model);
  } finally {
    initial.dispose();
  }
  model.resetMetrics();
  const vars = model.trainableVariables;
  const mu = options.proximalStrength ?? 0;
  const globalTrainable = options.mode === 'local_training' && options.proximalStrength !== undefined
    ? weights.trainable.map((a, i) => tf.tensor(a, weights.trainableShapes[i]))
    : [];
  const gradSums = options.mode === 'gradient' ? vars.map((v) => new Float64Array(v.size)) : [];
  let numExamples = 0;
  let numBatches = 0;
  try {
    for await (const batch of iterateBatches(dataset, options.signal)) {
      try {
        const named = normalizeBatch(batch);
        try {
          checkCompatible(model.inputSpec, named.y === undefined ? { x: named.x } : named);
        } catch (e) {
          throw new ClientTrainingError(`${who}: ${(e as Error).message}`, numExamples, numBatches, { cause: e });
        }
        let n = 0;
        if (options.mode === 'local_training') {
          optimizer!.minimize(
            () => {
              const out = model.forwardPass(named, true);
              n = out.numExamples;
              if (globalTrainable.length === 0) return out.loss;
              const prox = tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, globalTrainable[i]!)))));
              return tf.add(out.loss, tf.mul(mu / 2, prox)) as tf.Scalar;
            },
            false,
            vars,
          );
        } else {
          const { value, grads } = tf.variableGrads(() => {
            const out = model.forwardPass(named, true);
            n = out.numExamples;
            return out.loss;
          }, vars);
          vars.forEach((v, i) => {
            const g = grads[v.name]!.dataSync();
            const acc = gradSums[i]!;
            for (let k = 0; k < acc.length; k++) acc[k]! += g[k]! * n;
          });
          value.dispose();
          for (const g of Object.values(grads)) g.dispose();
        }
        numExamples += n;
        numBatches += 1;
      } finally {
        disposeBatch(batch);
      }
    }
  } catch (e) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    if (e instanceof ClientTrainingError) throw e;
    throw new ClientTrainingError(`${who}: ${(e as Error)?.message ?? String(e)}`, numExamples, numBatches, { cause: e });
  } finally {
    for (const t of globalTrainable) t.dispose();
  }

  let update: Float32Array[];
  if (options.mode === 'local_training') {
    update = vars.map((v, i) => {
      const trained = v.dataSync();
      const init = weights.trainable[i]!;
      const out = new Float32Array(init.length);
      for (let k = 0; k < out.length; k++) out[k] = init[k]! - trained[k]!;
      return out;
    });
  } else {
    update = gradSums.map((acc) => Float32Array.from(acc, (s) => (numExamples > 0 ? s / numExamples : 0)));
  }
  // A plain loop: this scans every parameter of every client, and a per-element callback costs more.
  const updateNonFinite = update.some((u) => {
    for (let k = 0; k < u.length; k++) if (!Number.isFinite(u[k]!)) return true;
    return false;
  });
  if (updateNonFinite) update = update.map((u) => new Float32Array(u.length));
  return {
    update,
    updateWeight: updateNonFinite ? 0 : numExamples,
    updateNonFinite,
    numExamples,
    numBatches,
    metrics: model.reportLocalUnfinalizedMetrics(),
  };
}
