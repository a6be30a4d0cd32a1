import { ValueError } from '@fedkit/core';

import { fromClientsAndFn, type ClientData } from './client-data.js';
import { createRng, DEFAULT_SEED, shuffleInPlace } from './seeded-rng.js';

/**
 * Splits the clients (not their examples) into a train and a test
 * `ClientData`: `numTestClients` clients drawn with `seed` go to test, the rest
 * to train; both keep `clientIds` order (TFF's
 * `tff.simulation.datasets.ClientData.train_test_client_split`).
 *
 * @throws ValueError unless `1 <= numTestClients < clientIds.length`.
 * @example
 * ```ts
 * const [train, test] = trainTestClientSplit(clientData, 10, 0);
 * ```
 */
export function trainTestClientSplit(
  clientData: ClientData,
  numTestClients: number,
  seed: number | string = DEFAULT_SEED,
): [train: ClientData, test: ClientData] {
  const n = clientData.clientIds.length;
  if (!(Number.isInteger(numTestClients) && numTestClients >= 1 && numTestClients < n)) {
    throw new ValueError(
      `trainTestClientSplit expects numTestClients between 1 and ${n - 1} (there are ${n} clients), found ${String(numTestClients)}.`,
    );
  }
  const drawn = new Set(shuffleInPlace([...clientData.clientIds], createRng(seed)).slice(0, numTestClients));
  const fn = (id: string) => clientData.createDatasetForClient(id);
  const train = clientData.clientIds.filter((id) => !drawn.has(id));
  const test = clientData.clientIds.filter((id) => drawn.has(id));
  return [fromClientsAndFn(train, fn, clientData.elementSpec), fromClientsAndFn(test, fn, clientData.elementSpec)];
}
