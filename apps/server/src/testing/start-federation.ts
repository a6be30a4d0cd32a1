import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildFederation, DEFAULT_FEDERATION, type FederationConfig } from '../build-federation.js';
import { FedkitServer } from '../fedkit-server.js';
import type { Federation, FederationOptions } from '../federation.js';
import { TokenAuthority } from '../token-authority.js';

/** A test federation on loopback (port picked by the OS) with a fresh output folder. */
export async function startFederation(
  config: Partial<FederationConfig> = {},
  extra: Partial<FederationOptions> = {},
  serverOptions: { staticDir?: string } = {},
): Promise<{ federation: Federation; server: FedkitServer; wsUrl: string; url: string; authority: TokenAuthority; out: string; token(client: string): string }> {
  const out = config.out ?? mkdtempSync(join(tmpdir(), 'fedkit-server-'));
  const authority = new TokenAuthority('test-secret-0123456789abcdef');
  const federation = await buildFederation({ ...DEFAULT_FEDERATION, name: 'test', out, runtime: 'auto', selectionWindow: 2, ...config }, authority, extra);
  const server = new FedkitServer({ federations: [federation], host: '127.0.0.1', port: 0, ...serverOptions });
  const { wsUrl, url } = await server.listen();
  return { federation, server, wsUrl: `${wsUrl}/federations/${federation.name}`, url, authority, out, token: (client) => authority.issue({ client, federation: federation.name, exp: 0 }) };
}

/** Polls `condition` every 20 ms until it holds (the test's own timeout bounds the wait). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}
