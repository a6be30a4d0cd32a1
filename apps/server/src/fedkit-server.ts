import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

import { WebSocketServer } from 'ws';

import type { Federation } from './federation.js';
import { statusPageHtml } from './status-page.js';

/** Options of {@link FedkitServer}. */
export interface FedkitServerOptions {
  readonly federations: readonly Federation[];
  /** Interface to listen on (default 127.0.0.1; `0.0.0.0` to serve other machines, behind TLS). */
  readonly host?: string;
  /** Port (default 8080; 0 picks a free one). */
  readonly port?: number;
  /** Serve `wss://`/`https://` with this PEM certificate and key; without it, run behind a TLS-terminating proxy. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** A directory served read-only under `/app/` (e.g. the browser client's page). */
  readonly staticDir?: string;
  /** Most simultaneous WebSocket connections (default 1000). */
  readonly maxConnections?: number;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.bin': 'application/octet-stream', '.css': 'text/css', '.wasm': 'application/wasm' };

/**
 * The fedkit server: one HTTP(S) listener with a WebSocket route per
 * federation (`/federations/<name>`), `GET /status` (JSON), a live status
 * page at `/`, and optional static files under `/app/`.
 * @example
 * ```ts
 * const server = new FedkitServer({ federations: [federation], port: 8080 });
 * const { url } = await server.listen();
 * await federation.run();
 * await server.close();
 * ```
 */
export class FedkitServer {
  private readonly http: Server;
  private readonly wss: WebSocketServer;

  constructor(private readonly options: FedkitServerOptions) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.request(req, res);
    this.http = options.tls === undefined ? createHttpServer(handler) : createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler);
    const maxPayload = Math.max(...options.federations.map((f) => f.options.limits.maxMessageBytes)) + 1024;
    this.wss = new WebSocketServer({ noServer: true, maxPayload });
    this.http.on('upgrade', (req, socket, head) => {
      const name = /^\/federations\/([^/?#]+)/.exec(req.url ?? '')?.[1];
      const federation = this.options.federations.find((f) => f.name === decodeURIComponent(name ?? ''));
      if (federation === undefined || this.wss.clients.size >= (options.maxConnections ?? 1000)) {
        socket.end(federation === undefined ? 'HTTP/1.1 404 Not Found\r\n\r\n' : 'HTTP/1.1 503 Service Unavailable\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => federation.attach(ws));
    });
  }

  /** Starts listening; resolves with the base URLs. */
  async listen(): Promise<{ url: string; wsUrl: string; port: number }> {
    await new Promise<void>((done, fail) => {
      this.http.once('error', fail);
      this.http.listen(this.options.port ?? 8080, this.options.host ?? '127.0.0.1', () => done());
    });
    const address = this.http.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const secure = this.options.tls !== undefined;
    return { url: `${secure ? 'https' : 'http'}://${host}:${address.port}`, wsUrl: `${secure ? 'wss' : 'ws'}://${host}:${address.port}`, port: address.port };
  }

  /** Closes every connection and the listener. */
  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((done) => this.wss.close(() => done()));
    await new Promise<void>((done) => this.http.close(() => done()));
  }

  private async request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/status') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ federations: this.options.federations.map((f) => f.status()) }));
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(statusPageHtml());
      return;
    }
    const dir = this.options.staticDir;
    if (dir !== undefined && path.startsWith('/app/')) {
      const root = resolve(dir);
      const file = normalize(join(root, decodeURIComponent(path.slice('/app/'.length)) || 'index.html'));
      if (file.startsWith(root + sep) || file === root) {
        try {
          const body = await readFile(file.endsWith(sep) ? join(file, 'index.html') : file);
          res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
          return;
        } catch {
          // Falls through to 404.
        }
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}
