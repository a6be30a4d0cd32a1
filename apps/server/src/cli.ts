#!/usr/bin/env node
/**
 * `fedkit-server`: serves one federation (`fedkit-server --task mnist-2nn
 * --algorithm fedavg ...`), or prints a client token (`fedkit-server token
 * --client <id>`). The token secret comes from `--secret` or the
 * `FEDKIT_SERVER_SECRET` environment variable.
 */
import 'reflect-metadata';

import { readFileSync } from 'node:fs';

import { Command, InvalidArgumentError } from 'commander';

import { buildFederation, DEFAULT_FEDERATION, type FederationConfig } from './build-federation.js';
import { FedkitServer } from './fedkit-server.js';
import { TokenAuthority } from './token-authority.js';

const num = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, found "${v}".`);
  return n;
};

function secretOf(flag: string | undefined): string | undefined {
  return flag ?? process.env['FEDKIT_SERVER_SECRET'];
}

async function serve(o: Record<string, unknown>): Promise<void> {
  const d = DEFAULT_FEDERATION;
  const config: FederationConfig = {
    ...d,
    name: o['name'] as string,
    task: o['task'] as string,
    algorithm: o['algorithm'] as string,
    aggregator: o['aggregator'] as string,
    rounds: o['rounds'] as number,
    clientsPerRound: o['clientsPerRound'] as number,
    minClients: o['minClients'] as number,
    overSelection: o['overSelection'] as number,
    roundDeadline: o['roundDeadline'] as number,
    selectionWindow: o['selectionWindow'] as number,
    ...(o['clientOptimizer'] === undefined ? {} : { clientOptimizer: o['clientOptimizer'] as string }),
    ...(o['clientLr'] === undefined ? {} : { clientLr: o['clientLr'] as number }),
    ...(o['serverLr'] === undefined ? {} : { serverLr: o['serverLr'] as number }),
    seed: o['seed'] as number,
    out: o['out'] as string,
    resume: o['resume'] === true,
    evalEvery: o['evalEvery'] as number,
    checkpointEvery: o['checkpointEvery'] as number,
    allowAnonymous: o['allowAnonymous'] === true,
    runtime: o['runtime'] as string,
    plugins: o['plugin'] as string[],
    maxMessageMib: o['maxMessageMib'] as number,
    messagesPerSecond: o['rate'] as number,
    maxConnectionsPerClient: o['maxConnectionsPerClient'] as number,
  };
  const secret = secretOf(o['secret'] as string | undefined);
  const federation = await buildFederation(config, secret === undefined ? undefined : new TokenAuthority(secret));
  const certFile = o['tlsCert'] as string | undefined;
  const keyFile = o['tlsKey'] as string | undefined;
  if ((certFile === undefined) !== (keyFile === undefined)) throw new InvalidArgumentError('--tls-cert and --tls-key go together.');
  const server = new FedkitServer({
    federations: [federation],
    host: o['host'] as string,
    port: o['port'] as number,
    ...(certFile === undefined ? {} : { tls: { cert: readFileSync(certFile), key: readFileSync(keyFile!) } }),
    ...(o['static'] === undefined ? {} : { staticDir: o['static'] as string }),
  });
  const { url, wsUrl, port } = await server.listen();
  // One machine-readable line first: scripts and tests read the port from it.
  console.log(JSON.stringify({ listening: url, port, federation: `${wsUrl}/federations/${config.name}` }));
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(130);
    stopping = true;
    console.error('fedkit-server: stopping after the current round (press Ctrl-C again to quit now)');
    federation.stop();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const summary = await federation.run();
  console.log(JSON.stringify({ finished: summary.roundsCompleted, stopped: summary.stopped, out: config.out }));
  await server.close();
}

const d = DEFAULT_FEDERATION;
const program = new Command('fedkit-server')
  .enablePositionalOptions()
  .description('Serve a federation: the LearningProcess of --algorithm driving remote clients (Node and browsers).')
  .option('--name <name>', 'federation name (clients join at /federations/<name>)', d.name)
  .option('--task <task>', 'registered task or task module path', d.task)
  .option('--algorithm <name>', 'registered algorithm', d.algorithm)
  .option('--aggregator <spec>', 'mean, a registered aggregator spec, or secure[:bound[:bits]] (masking on the clients)', d.aggregator)
  .option('--rounds <n>', 'rounds', num('--rounds'), d.rounds)
  .option('--clients-per-round <n>', 'updates a round waits for', num('--clients-per-round'), d.clientsPerRound)
  .option('--min-clients <n>', 'fewest clients a round starts with and needs', num('--min-clients'), d.minClients)
  .option('--over-selection <fraction>', 'select this fraction more clients than needed', num('--over-selection'), d.overSelection)
  .option('--round-deadline <s>', 'seconds after which unfinished clients fail', num('--round-deadline'), d.roundDeadline)
  .option('--selection-window <s>', 'seconds to wait for clients-per-round clients before starting with min-clients', num('--selection-window'), d.selectionWindow)
  .option('--client-optimizer <name>', 'client optimizer (the task\'s when omitted)')
  .option('--client-lr <lr>', 'client learning rate', num('--client-lr'))
  .option('--server-lr <lr>', 'server learning rate', num('--server-lr'))
  .option('--seed <n>', 'seed of the initial model', num('--seed'), d.seed)
  .option('--out <dir>', 'output directory (checkpoints, metrics.jsonl/csv, report.html)', d.out)
  .option('--resume', 'continue from the latest checkpoint in --out')
  .option('--eval-every <n>', 'evaluate on the held-out split every n rounds', num('--eval-every'), d.evalEvery)
  .option('--checkpoint-every <n>', 'checkpoint every n rounds', num('--checkpoint-every'), d.checkpointEvery)
  .option('--allow-anonymous', 'let clients join without a token')
  .option('--runtime <name>', 'tfjs runtime of the server\'s evaluation', d.runtime)
  .option('--plugin <module>', 'plugin module (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
  .option('--max-message-mib <n>', 'largest message in MiB', num('--max-message-mib'), d.maxMessageMib)
  .option('--rate <n>', 'messages per second per connection', num('--rate'), d.messagesPerSecond)
  .option('--max-connections-per-client <n>', 'connections per token', num('--max-connections-per-client'), d.maxConnectionsPerClient)
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--port <port>', 'port (0: any free one)', num('--port'), 8080)
  .option('--tls-cert <file>', 'PEM certificate: serve https:// and wss://')
  .option('--tls-key <file>', 'PEM private key of --tls-cert')
  .option('--static <dir>', 'serve this directory under /app/ (e.g. the browser client)')
  .option('--secret <secret>', 'token secret (default: $FEDKIT_SERVER_SECRET)')
  .action(async (o: Record<string, unknown>) => serve(o));
program
  .command('token')
  .description('Print a client token signed with the server secret.')
  .requiredOption('--client <id>', 'the client the token is for')
  .option('--federation <name>', 'the federation it may join (* for any)', d.name)
  .option('--expires-in <s>', 'seconds until it expires (0: never)', num('--expires-in'), 0)
  .option('--secret <secret>', 'token secret (default: $FEDKIT_SERVER_SECRET)')
  .action((o: { client: string; federation: string; expiresIn: number; secret?: string }) => {
    const secret = secretOf(o.secret);
    if (secret === undefined) throw new InvalidArgumentError('No secret: pass --secret or set FEDKIT_SERVER_SECRET.');
    console.log(new TokenAuthority(secret).issue({ client: o.client, federation: o.federation, exp: o.expiresIn === 0 ? 0 : Math.floor(Date.now() / 1000) + o.expiresIn }));
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`fedkit-server: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
