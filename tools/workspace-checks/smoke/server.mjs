// Smoke test for @fedkit/server installed from its tarball: the CLI issues a token, and one FedAvg round runs with a Node client on loopback.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { connectClient } from '@fedkit/client';
import { buildFederation, DEFAULT_FEDERATION, FedkitServer, mnistClientData, TokenAuthority } from '@fedkit/server';

const require = createRequire(import.meta.url);
const pkg = require('@fedkit/server/package.json');
const cli = join(dirname(require.resolve('@fedkit/server/package.json')), pkg.bin['fedkit-server']);
const secret = 'smoke-secret-0123456789abcdef';
const token = execFileSync(process.execPath, [cli, 'token', '--client', 'smoke', '--federation', 'smoke', '--secret', secret], { encoding: 'utf8' }).trim();
if (new TokenAuthority(secret).verify(token, 'smoke')?.client !== 'smoke') throw new Error(`the CLI's token does not verify: ${token}`);
const federation = await buildFederation({ ...DEFAULT_FEDERATION, name: 'smoke', rounds: 1, clientsPerRound: 1, minClients: 1, runtime: 'wasm', out: mkdtempSync(join(tmpdir(), 'smoke-server-')) }, new TokenAuthority(secret));
const server = new FedkitServer({ federations: [federation], port: 0 });
const { wsUrl } = await server.listen();
const client = connectClient({ url: `${wsUrl}/federations/smoke`, token, data: mnistClientData({ part: 0, parts: 10, examples: 20, batchSize: 10, epochs: 1 }).data });
const [summary] = await Promise.all([federation.run(), client.run()]);
await server.close();
client.dispose();
if (summary.roundsCompleted !== 1) throw new Error(`expected 1 round, got ${summary.roundsCompleted}`);
console.log('@fedkit/server ok');
