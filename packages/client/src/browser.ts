/**
 * @packageDocumentation
 * The browser entry of @fedkit/client (see index.ts): the same exports, with
 * a `connectClient` over the page's own WebSocket. It imports no Node
 * built-in (a test bundles it with esbuild for `platform: 'browser'`).
 */
import { FedkitClient, type FedkitClientOptions, type WebSocketFactory } from './fedkit-client.js';

export * from './exports.js';

/**
 * A {@link FedkitClient} over the browser's WebSocket.
 * @example
 * ```ts
 * const client = connectClient({ url: `wss://${location.host}/federations/mnist`, token, data, onEvent: show });
 * await client.run();
 * ```
 */
export function connectClient(options: FedkitClientOptions): FedkitClient {
  return new FedkitClient(globalThis.WebSocket as unknown as WebSocketFactory, options);
}
