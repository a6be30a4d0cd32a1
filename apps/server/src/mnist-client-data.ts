import type { ClientDataset, LabeledArrays } from '@fedkit/core';
import { ClientBatches, loadMnist, partitionIid } from '@fedkit/datasets';

/** Options of {@link mnistClientData}. */
export interface MnistClientDataOptions {
  /** This client's part (0-based) of `parts` IID parts of the training split. */
  readonly part: number;
  readonly parts: number;
  /** Keep only the first this-many examples of the part (default all). */
  readonly examples?: number;
  readonly batchSize: number;
  readonly epochs: number;
  /** Seed of the partition (default 0). */
  readonly seed?: number;
}

/**
 * A headless client's MNIST data: one IID part of the `mnist` package's
 * training split, exactly the split the server's `mnist-2nn` task holds out
 * its test set from (split seed 0), so no client trains on the test set.
 * Returns the round's dataset factory (shuffled per round) and the part's arrays.
 * @example
 * ```ts
 * const { data } = mnistClientData({ part: 0, parts: 5, batchSize: 10, epochs: 1 });
 * await connectClient({ url, token, data }).run();
 * ```
 */
export function mnistClientData(options: MnistClientDataOptions): { data: (round: number) => ClientDataset; train: LabeledArrays; indices: number[] } {
  if (!(Number.isInteger(options.part) && options.part >= 0 && options.part < options.parts)) throw new RangeError(`part must be an integer in [0, ${options.parts - 1}], found ${options.part}.`);
  const { train } = loadMnist({ seed: 0 });
  const partition = partitionIid(train.y, options.parts, { seed: options.seed ?? 0 });
  const indices = [...partition[options.part]!].slice(0, options.examples ?? Infinity);
  return {
    train,
    indices,
    data: (round) => new ClientBatches(train, { indices, batchSize: options.batchSize, epochs: options.epochs, shuffleSeed: `${options.part}:${round}` }),
  };
}
