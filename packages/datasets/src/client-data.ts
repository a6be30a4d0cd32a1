import { ValueError, type StructSpec } from '@fedkit/core';

import { ClientDataset } from './client-dataset.js';
import { createRng, shuffleInPlace } from './seeded-rng.js';

/** Options of {@link ClientData.datasets}. */
export interface DatasetsOptions {
  /** At most this many datasets. */
  readonly limit?: number;
  /** When given, clients come in an order shuffled with this seed; otherwise in `clientIds` order. */
  readonly seed?: number | string;
}

/**
 * A federated data set: many clients, each with its own {@link ClientDataset}
 * (TFF's `tff.simulation.datasets.ClientData`). Datasets are built when asked
 * for, so registering 10,000 clients costs only their ids and index lists.
 *
 * @example
 * ```ts
 * const cd = clientDataFromPartition(train.x, train.y, partitionIid(train.y, 100), [784]);
 * const batched = cd.preprocess((ds) => ds.shuffle(100, 1).batch(20));
 * batched.elementSpec.toString(); // '<x=float32[?,784],y=int32[?,1]>'
 * for (const batch of batched.createDatasetForClient('0')) { ...; disposeBatch(batch); }
 * ```
 */
export interface ClientData {
  /** Client ids, in a fixed order. */
  readonly clientIds: readonly string[];
  /** Spec of one element of every client's dataset (after `preprocess`, of the preprocessed dataset). */
  readonly elementSpec: StructSpec;
  /**
   * The dataset of one client; a new lazy dataset on every call.
   * @throws ValueError for an id that is not in `clientIds`.
   */
  createDatasetForClient(clientId: string): ClientDataset;
  /** The same clients with `fn` applied to each dataset when it is created (e.g. shuffle, batch, repeat). */
  preprocess(fn: (dataset: ClientDataset) => ClientDataset): ClientData;
  /** Datasets of the clients, created one at a time as the iterable is consumed. */
  datasets(options?: DatasetsOptions): Iterable<ClientDataset>;
  /**
   * Every client's examples in one dataset, for a centralized baseline: clients
   * in `clientIds` order, or shuffled with `seed` when given.
   */
  createDatasetFromAllClients(seed?: number | string): ClientDataset;
}

/**
 * A {@link ClientData} whose datasets come from a function of the client id
 * (TFF's `ClientData.from_clients_and_tf_fn`).
 */
export class FunctionClientData implements ClientData {
  readonly clientIds: readonly string[];
  readonly elementSpec: StructSpec;
  private readonly known: ReadonlySet<string>;

  /**
   * @param elementSpec the spec of `datasetFn`'s datasets; taken from the first client's (lazy) dataset when absent.
   * @throws ValueError for an empty or duplicated id list.
   */
  constructor(
    clientIds: readonly string[],
    private readonly datasetFn: (clientId: string) => ClientDataset,
    elementSpec?: StructSpec,
  ) {
    if (clientIds.length === 0) throw new ValueError('A ClientData needs at least one client id, found none.');
    this.known = new Set(clientIds);
    if (this.known.size !== clientIds.length) {
      const seen = new Set<string>();
      const dup = clientIds.find((id) => (seen.has(id) ? true : (seen.add(id), false)));
      throw new ValueError(`Client ids must be unique; "${String(dup)}" appears more than once.`);
    }
    this.clientIds = Object.freeze([...clientIds]);
    this.elementSpec = elementSpec ?? datasetFn(clientIds[0]!).elementSpec;
  }

  createDatasetForClient(clientId: string): ClientDataset {
    if (!this.known.has(clientId)) {
      const sample = this.clientIds
        .slice(0, 3)
        .map((id) => `"${id}"`)
        .join(', ');
      throw new ValueError(
        `Unknown client id "${clientId}": this ClientData has ${this.clientIds.length} clients (${sample}${this.clientIds.length > 3 ? ', ...' : ''}). ` +
          'Pick an id from clientData.clientIds.',
      );
    }
    return this.datasetFn(clientId);
  }

  preprocess(fn: (dataset: ClientDataset) => ClientDataset): ClientData {
    const spec = fn(ClientDataset.empty(this.elementSpec)).elementSpec;
    return new FunctionClientData(this.clientIds, (id) => fn(this.datasetFn(id)), spec);
  }

  *datasets(options: DatasetsOptions = {}): Generator<ClientDataset, void, undefined> {
    const ids = [...this.clientIds];
    if (options.seed !== undefined) shuffleInPlace(ids, createRng(options.seed));
    const limit = options.limit ?? ids.length;
    if (!(Number.isInteger(limit) && limit >= 0)) {
      throw new ValueError(`datasets expects limit as a non-negative integer, found ${String(limit)}.`);
    }
    for (const id of ids.slice(0, limit)) yield this.datasetFn(id);
  }

  createDatasetFromAllClients(seed?: number | string): ClientDataset {
    return ClientDataset.concatenateAll([...this.datasets(seed === undefined ? {} : { seed })]);
  }
}

/**
 * A {@link ClientData} over `clientIds` whose datasets `datasetFn` builds on
 * demand (TFF's `ClientData.from_clients_and_tf_fn`).
 *
 * @throws ValueError for an empty or duplicated id list.
 * @example
 * ```ts
 * const cd = fromClientsAndFn(['a', 'b'], (id) => ClientDataset.fromArrays(xs, ys, { xShape: [784], indices: byId[id] }));
 * ```
 */
export function fromClientsAndFn(
  clientIds: readonly string[],
  datasetFn: (clientId: string) => ClientDataset,
  elementSpec?: StructSpec,
): ClientData {
  return new FunctionClientData(clientIds, datasetFn, elementSpec);
}
