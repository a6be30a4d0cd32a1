import { isLoss, KeyError, resolveLoss, ValueError, describe, type Loss, type LossFn } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

/** One loss: a registered name, a Loss object or a `(yTrue, yPred) => Scalar` function. */
export type LossLike = string | Loss | LossFn;

/** `loss` as `fromKerasModel` takes it: one loss, one per output, or keyed by output name. */
export type LossOption = LossLike | readonly LossLike[] | Readonly<Record<string, LossLike>>;

/** Losses and their weights, one per model output, in `model.outputNames` order. */
export interface ResolvedLosses {
  readonly losses: Loss[];
  readonly weights: number[];
}

function isLossLike(value: unknown): value is LossLike {
  return typeof value === 'string' || typeof value === 'function' || isLoss(value);
}

/**
 * Resolves `loss` and `lossWeights` against the model's outputs.
 *
 * @throws TypeError for a loss of an unsupported type, or `lossWeights` with a single loss.
 * @throws ValueError when an array's length differs from the number of outputs or losses.
 * @throws KeyError when a record's keys differ from the model's output names.
 * @example
 * ```ts
 * const { losses, weights } = resolveLossStructure(registerLosses(createFedkitContainer()), { out_a: 'mse', out_b: 'mae' }, { out_a: 1, out_b: 0.5 }, ['out_a', 'out_b']);
 * // losses: [MeanSquaredError, MeanAbsoluteError], weights: [1, 0.5]
 * ```
 */
export function resolveLossStructure(
  container: DependencyContainer,
  loss: unknown,
  lossWeights: unknown,
  outputNames: readonly string[],
): ResolvedLosses {
  if (isLossLike(loss)) {
    if (lossWeights !== undefined) {
      throw new TypeError(
        'lossWeights applies to one loss per model output; with a single loss, scale the loss itself or pass loss as an array.',
      );
    }
    const resolved = resolveLoss(container, loss);
    // Porting note: as in TFF, one loss for a multi-output model is applied to every output.
    return { losses: outputNames.map(() => resolved), weights: outputNames.map(() => 1) };
  }
  let losses: Loss[];
  if (Array.isArray(loss)) {
    if (loss.length !== outputNames.length) {
      throw new ValueError(
        `loss has ${loss.length} entries but the model has ${outputNames.length} outputs (${outputNames.join(', ')}); pass one loss per output.`,
      );
    }
    losses = loss.map((l, i) => resolveEntry(container, l, `loss[${i}]`));
  } else if (typeof loss === 'object' && loss !== null && Object.getPrototypeOf(loss) === Object.prototype) {
    checkKeys('loss', Object.keys(loss), outputNames);
    losses = outputNames.map((name) => resolveEntry(container, (loss as Record<string, unknown>)[name], `loss.${name}`));
  } else {
    throw new TypeError(
      `loss must be a loss name, a Loss, a (yTrue, yPred) => Scalar function, an array of them or a record keyed by output name; found ${describe(loss)}.`,
    );
  }
  return { losses, weights: resolveWeights(lossWeights, losses.length, outputNames) };
}

function resolveEntry(container: DependencyContainer, value: unknown, path: string): Loss {
  if (!isLossLike(value)) {
    throw new TypeError(`${path} must be a loss name, a Loss or a loss function, found ${describe(value)}.`);
  }
  return resolveLoss(container, value);
}

function resolveWeights(lossWeights: unknown, count: number, outputNames: readonly string[]): number[] {
  if (lossWeights === undefined) return Array.from({ length: count }, () => 1);
  if (Array.isArray(lossWeights)) {
    if (lossWeights.length !== count) {
      throw new ValueError(`lossWeights has ${lossWeights.length} entries but there are ${count} losses; pass one weight per loss.`);
    }
    return lossWeights.map((w, i) => checkWeight(w, `lossWeights[${i}]`));
  }
  if (typeof lossWeights === 'object' && lossWeights !== null) {
    checkKeys('lossWeights', Object.keys(lossWeights), outputNames);
    return outputNames.map((name) => checkWeight((lossWeights as Record<string, unknown>)[name], `lossWeights.${name}`));
  }
  throw new TypeError(`lossWeights must be an array of numbers or a record keyed by output name, found ${describe(lossWeights)}.`);
}

function checkWeight(w: unknown, path: string): number {
  if (typeof w !== 'number' || !Number.isFinite(w)) throw new TypeError(`${path} must be a finite number, found ${describe(w)}.`);
  return w;
}

function checkKeys(what: string, keys: readonly string[], outputNames: readonly string[]): void {
  const missing = outputNames.filter((n) => !keys.includes(n));
  const unexpected = keys.filter((k) => !outputNames.includes(k));
  if (missing.length > 0 || unexpected.length > 0) {
    throw new KeyError(
      `${what} keys must be the model's output names (${outputNames.join(', ')})` +
        `${missing.length > 0 ? `; missing: ${missing.join(', ')}` : ''}` +
        `${unexpected.length > 0 ? `; unexpected: ${unexpected.join(', ')}` : ''}.`,
    );
  }
}
