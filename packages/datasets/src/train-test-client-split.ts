import { ValueError } from '@fedkit/core';

import { fromClientsAndFn, type ClientData } from './client-data.js';
import { createRng, DEFAULT_SEED, shuffleInPlace } from './seeded-rng.js';

/**
 * Splits the clients (not their examples) into a train and a test
 * `ClientData` (TFF's `tff.simulation.datasets.ClientData.train_test_client_split`):
 * clients are visited in an order shuffled with `seed`, and the first
 * `numTestClients` whose dataset yields at least one element go to test; every
 * other client, including those with no data, goes to train. Both keep
 * `clientIds` order. Only the first element of a visited client is read.
 *
 * Porting note: TFF gives up after 5·numTestClients + 10 empty clients; here
 * every client is visited before giving up (a lazy client costs little to probe).
 *
 * @throws ValueError unless `1 <= numTestClients < clientIds.length`, and when
 *   fewer than `numTestClients` clients have data.
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
  if (!(Number.isInteger(numTestClients) && numTestClients >= 1)) {
    throw new ValueError(
      `trainTestClientSplit: please specify numTestClients > 0, between 1 and ${n - 1} for ${n} clients; found ${String(numTestClients)}.`,
    );
  }
  if (numTestClients >= n) {
    throw new ValueError(
      `trainTestClientSplit: the ClientData has only ${n} clients, but ${numTestClients} test clients were requested; ` +
        `numTestClients must be between 1 and ${n - 1} so that train keeps a client.`,
    );
  }
  const drawn = new Set<string>();
  let empty = 0;
  for (const id of shuffleInPlace([...clientData.clientIds], createRng(seed))) {
    if (drawn.size === numTestClients) break;
    if (hasData(clientData, id)) drawn.add(id);
    else empty++;
  }
  if (drawn.size < numTestClients) {
    throw new ValueError(
      `trainTestClientSplit encountered too many clients with no data: ${n - empty} of ${n} clients have data, ` +
        `but ${numTestClients} non-empty test clients were requested. Lower numTestClients or drop the empty clients.`,
    );
  }
  const fn = (id: string) => clientData.createDatasetForClient(id);
  const train = clientData.clientIds.filter((id) => !drawn.has(id));
  const test = clientData.clientIds.filter((id) => drawn.has(id));
  return [fromClientsAndFn(train, fn, clientData.elementSpec), fromClientsAndFn(test, fn, clientData.elementSpec)];
}

function hasData(clientData: ClientData, id: string): boolean {
  const iterator = clientData.createDatasetForClient(id).arrays()[Symbol.iterator]();
  try {
    return iterator.next().done !== true;
  } finally {
    iterator.return?.();
  }
}
