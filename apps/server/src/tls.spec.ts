import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ClientRefusedError, connectClient, encodeFrames, FrameDecoder, PROTOCOL_VERSION, serverMessageSchema, type ServerMessage } from '@fedkit/client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { buildFederation, DEFAULT_FEDERATION } from './build-federation.js';
import { FedkitServer } from './fedkit-server.js';
import { TokenAuthority } from './token-authority.js';

const OPENSSL = '/usr/bin/openssl';

describe.skipIf(!existsSync(OPENSSL))('TLS', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  it('serves https:// and wss:// with the given certificate; a client trusting it joins', async () => {
    // Arrange: a self-signed certificate for 127.0.0.1.
    const dir = mkdtempSync(join(tmpdir(), 'fedkit-tls-'));
    execFileSync(OPENSSL, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'));
    const authority = new TokenAuthority('tls-secret-0123456789abcdef');
    const federation = await buildFederation({ ...DEFAULT_FEDERATION, name: 'tls', rounds: 1, runtime: 'wasm', out: mkdtempSync(join(tmpdir(), 'fedkit-tls-out-')) }, authority);
    const server = new FedkitServer({ federations: [federation], port: 0, tls: { cert, key: readFileSync(join(dir, 'key.pem')) } });
    const { url, wsUrl } = await server.listen();
    cleanup.push(() => server.close());

    // Act
    const status = await new Promise<number>((resolve, reject) => get(`${url}/status`, { ca: cert }, (res) => resolve(res.statusCode ?? 0)).on('error', reject));
    const welcome = await new Promise<ServerMessage>((resolve, reject) => {
      const socket = new WebSocket(`${wsUrl}/federations/tls`, { ca: cert });
      const decoder = new FrameDecoder(serverMessageSchema, 1 << 26);
      socket.on('open', () => encodeFrames({ t: 'hello', v: PROTOCOL_VERSION, token: authority.issue({ client: 'a', federation: 'tls', exp: 0 }) }, 1 << 20).forEach((f) => socket.send(f)));
      socket.on('message', (d: Buffer) => {
        const m = decoder.push(new Uint8Array(d));
        if (m !== undefined) {
          resolve(m);
          socket.close();
        }
      });
      socket.on('error', reject);
    });

    const client = connectClient({ url: `${wsUrl}/federations/tls`, token: new TokenAuthority('not-the-secret-0123456789').issue({ client: 'b', federation: 'tls', exp: 0 }), data: [] }, { ca: cert });
    const refused = await client.run().catch((e: unknown) => e);

    // Assert
    expect(url.startsWith('https://')).toBe(true);
    // connectClient's socket options reached the TLS handshake: it got as far as the token check.
    expect(refused).toBeInstanceOf(ClientRefusedError);
    expect(status).toBe(200);
    expect(welcome.t).toBe('welcome');
  });
});
