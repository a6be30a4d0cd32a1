/**
 * @packageDocumentation
 * The fedkit server: federations that drive any registered algorithm and
 * aggregator over real remote clients (`RemoteExecutor`: over-selection, a
 * round deadline, minimum clients, secure aggregation with masking on the
 * clients), token authentication, limits, checkpoints and metrics as the
 * simulator writes them, `GET /status` and a live page; the `fedkit-server`
 * and `fedkit-client` CLIs.
 */
import 'reflect-metadata';

export { FedkitServer, type FedkitServerOptions } from './fedkit-server.js';
export { Federation, describeTask, type FederationOptions, type FederationStatus, type FederationEvent, type ClientStatus } from './federation.js';
export { buildFederation, DEFAULT_FEDERATION, type FederationConfig } from './build-federation.js';
export { RemoteExecutor, type RemoteExecutorOptions, type RemoteSessionRef, type RoundTraffic } from './remote-executor.js';
export { runSecureRound, type SecureAggregationOptions } from './secure-round.js';
export { ClientSession, type SessionLimits, type InvalidFrame } from './client-session.js';
export { TokenAuthority, type TokenClaims } from './token-authority.js';
export { checkUpdate, type UpdateCheck, type RejectionReason } from './update-check.js';
export { statusPageHtml } from './status-page.js';
export { mnistClientData, type MnistClientDataOptions } from './mnist-client-data.js';
