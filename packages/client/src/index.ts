/**
 * @packageDocumentation
 * A fedkit federation client for Node and browsers: {@link FedkitClient}
 * joins a `@fedkit/server` federation over WebSocket (msgpack frames,
 * float32 weights), trains with the one client code path of @fedkit/learning,
 * and sends updates; the protocol's schemas and codec; the client side of
 * secure aggregation. This is the Node entry (its `connectClient` uses the `ws`
 * package); bundlers that pick the `browser` condition get browser.ts, whose
 * `connectClient` uses the page's WebSocket.
 */
import WebSocket, { type ClientOptions } from 'ws';

import { FedkitClient, type FedkitClientOptions, type WebSocketFactory } from './fedkit-client.js';

export * from './exports.js';

/**
 * A {@link FedkitClient} over Node's `ws` WebSocket; `socketOptions` reach `ws`
 * (e.g. `{ ca }` to trust a server certificate from a private CA).
 * @example
 * ```ts
 * const client = connectClient({ url: 'wss://fl.example.org/federations/mnist', token, data }, { ca: readFileSync('ca.pem') });
 * await client.run();
 * ```
 */
export function connectClient(options: FedkitClientOptions, socketOptions?: ClientOptions): FedkitClient {
  if (socketOptions === undefined) return new FedkitClient(WebSocket as unknown as WebSocketFactory, options);
  const Configured = class extends WebSocket {
    constructor(url: string) {
      super(url, socketOptions);
    }
  };
  return new FedkitClient(Configured as unknown as WebSocketFactory, options);
}
