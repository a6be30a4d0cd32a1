import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { buildReportHtml, reportView, type ReportData } from './report-html.js';

/** How far the running round is, for the dashboard's status line. */
export interface RoundProgress {
  readonly round: number;
  readonly done: number;
  readonly total: number;
  readonly failed: number;
}

/** Where {@link DashboardServer.start} listens and what it shows. */
export interface DashboardOptions {
  /** 0 lets the system pick a free port (see {@link DashboardServer.url}). */
  readonly port: number;
  /** Default 127.0.0.1: only this machine can open the page. */
  readonly host?: string;
  /** The run as it stands; called for the page and for every update. */
  readonly data: () => ReportData;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The hostname of a Host header (`[::1]:80` -> `::1`). */
function hostOf(header: string | undefined): string {
  if (header === undefined) return '';
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(header) ?? /^([^:]+)(?::\d+)?$/.exec(header);
  return m?.[1]?.toLowerCase() ?? '';
}

/**
 * A live dashboard of a run on `node:http`: `/` serves the report page (the
 * same charts as `report.html`), which listens to `/events`, a Server-Sent
 * Events stream of `view` events (the whole run so far, after each round and
 * evaluation) and `progress` events (clients done in the running round).
 * Bound to 127.0.0.1 unless told otherwise; on loopback it also refuses
 * requests whose Host header names another machine (DNS rebinding).
 *
 * @example
 * ```ts
 * const dashboard = await DashboardServer.start({ port: 7070, data: () => reportData() });
 * console.log(dashboard.url); // http://127.0.0.1:7070/
 * events.subscribe((e) => { if (e.kind === 'round-finished') dashboard.publishView(); });
 * ```
 */
export class DashboardServer {
  private readonly clients = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    private readonly options: DashboardOptions,
    /** The page's address, e.g. `http://127.0.0.1:7070/`. */
    readonly url: string,
  ) {}

  /**
   * Starts listening.
   *
   * @throws Error saying which port is taken and what to pass instead, or why the address cannot be used.
   */
  static async start(options: DashboardOptions): Promise<DashboardServer> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        reject(
          new Error(
            e.code === 'EADDRINUSE'
              ? `--dashboard ${options.port}: port ${options.port} is in use on ${host}. Pass another port (--dashboard ${options.port + 1}), or --dashboard 0 for a free one.`
              : `--dashboard: cannot listen on ${host}:${options.port} (${e.code ?? e.message}). Pass another --dashboard port or --dashboard-host.`,
          ),
        );
      });
      server.listen(options.port, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const dashboard = new DashboardServer(server, options, `http://${host.includes(':') ? `[${host}]` : host}:${port}/`);
    server.on('request', (req, res) => dashboard.handle(req, res));
    return dashboard;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (LOOPBACK.has(this.options.host ?? '127.0.0.1') && !LOOPBACK.has(hostOf(req.headers.host))) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('This dashboard answers only requests addressed to this machine (127.0.0.1 or localhost).\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { Allow: 'GET' }).end();
    } else if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(buildReportHtml(this.options.data(), { eventsPath: '/events' }));
    } else if (path === '/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      // The browser reconnects after 2 s if the stream drops, and gets the whole run again.
      res.write('retry: 2000\n\n');
      this.clients.add(res);
      res.on('close', () => this.clients.delete(res));
      this.send(res, 'view', reportView(this.options.data()));
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: the dashboard serves / and /events.\n');
    }
  }

  private send(res: ServerResponse, event: string, data: unknown): void {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Pages currently listening. */
  get listeners(): number {
    return this.clients.size;
  }

  /** Sends every page the run as it stands (after a round, an evaluation, or the end). */
  publishView(): void {
    if (this.clients.size === 0) return;
    const view = reportView(this.options.data());
    for (const res of this.clients) this.send(res, 'view', view);
  }

  /** Sends every page how far the running round is. */
  publishProgress(progress: RoundProgress): void {
    for (const res of this.clients) this.send(res, 'progress', progress);
  }

  /** Ends every event stream (pages keep the last view) and stops listening. */
  async close(): Promise<void> {
    for (const res of this.clients) res.end();
    this.clients.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
