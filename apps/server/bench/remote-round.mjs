// Protocol overhead: round time of FedAvg with 10 Node clients over WebSocket on loopback (RemoteExecutor)
// against the same round with the same 10 clients' data in-process (InProcessExecutor), both on wasm in
// this one process, so the ratio is the protocol's cost (msgpack frames, validation, loopback sockets), not
// parallelism. Blocks of rounds alternate (remote, in-process, remote, ...) and the medians are compared.
// Also bytes per client per round (both directions) against the model's size.
// Run after building: `node apps/server/bench/remote-round.mjs [blocks] [roundsPerBlock] [examples]` (from the repo root).
import 'reflect-metadata';

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { connectClient } from '@fedkit/client';
import { buildWeightedFedAvg } from '@fedkit/learning';
import { buildFederation, DEFAULT_FEDERATION, FedkitServer, mnistClientData, TokenAuthority } from '@fedkit/server';
import { mnist2nn, taskModelFactory } from '@fedkit/simulator';

const blocks = Number(process.argv[2] ?? 4);
const roundsPerBlock = Number(process.argv[3] ?? 3);
const examples = Number(process.argv[4] ?? 200);
const CLIENTS = 10;
const parts = Array.from({ length: CLIENTS }, (_, part) => mnistClientData({ part, parts: CLIENTS, examples, batchSize: 10, epochs: 1 }));
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const remoteMs = [];
const localMs = [];
const bytesIn = [];
const bytesOut = [];
const secret = 'bench-secret-0123456789abcdef';

async function remoteBlock() {
  const authority = new TokenAuthority(secret);
  const federation = await buildFederation(
    { ...DEFAULT_FEDERATION, name: 'bench', rounds: roundsPerBlock, clientsPerRound: CLIENTS, minClients: CLIENTS, overSelection: 0, runtime: 'wasm', evalEvery: 0, checkpointEvery: 1000, out: mkdtempSync(join(tmpdir(), 'bench-remote-')) },
    authority,
  );
  const server = new FedkitServer({ federations: [federation], port: 0 });
  const { wsUrl } = await server.listen();
  const clients = parts.map((p, i) => connectClient({ url: `${wsUrl}/federations/bench`, token: authority.issue({ client: `c${i}`, federation: 'bench', exp: 0 }), data: p.data }));
  const running = clients.map((c) => c.run());
  while (federation.status().clients.length < CLIENTS) await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  await federation.run();
  const total = performance.now() - t0;
  await Promise.all(running);
  await server.close();
  clients.forEach((c) => c.dispose());
  for (const { traffic } of federation.traffic) {
    bytesIn.push(traffic.bytesIn / traffic.sent);
    bytesOut.push(traffic.bytesOut / traffic.sent);
  }
  remoteMs.push(total / roundsPerBlock);
}

async function localBlock() {
  const models = taskModelFactory(mnist2nn, 0);
  const process_ = buildWeightedFedAvg({ modelFn: models.modelFn, clientOptimizer: { name: 'sgd', learningRate: 0.1 } });
  let state = process_.initialize();
  const t0 = performance.now();
  for (let r = 1; r <= roundsPerBlock; r++) state = (await process_.next(state, parts.map((p) => p.data(r)), { round: r })).state;
  localMs.push((performance.now() - t0) / roundsPerBlock);
  models.dispose();
}

for (let b = 0; b < blocks; b++) {
  await remoteBlock();
  await localBlock();
}
const params = 784 * 200 + 200 + 200 * 200 + 200 + 200 * 10 + 10;
const modelBytes = params * 4;
console.log(`FedAvg, mnist-2nn (${params.toLocaleString('en')} parameters, ${(modelBytes / 1e6).toFixed(2)} MB), ${CLIENTS} clients x ${examples} examples, B=10, E=1, wasm, ${blocks} x ${roundsPerBlock} rounds each way`);
console.log('| | median ms per round | ratio |');
console.log('|---|---|---|');
console.log(`| in-process (InProcessExecutor) | ${median(localMs).toFixed(0)} | 1.00 |`);
console.log(`| remote, loopback WebSocket (RemoteExecutor) | ${median(remoteMs).toFixed(0)} | ${(median(remoteMs) / median(localMs)).toFixed(2)} |`);
console.log('');
console.log('| per client per round | bytes | x model size |');
console.log('|---|---|---|');
console.log(`| server -> client (train) | ${median(bytesOut).toFixed(0)} | ${(median(bytesOut) / modelBytes).toFixed(3)} |`);
console.log(`| client -> server (result) | ${median(bytesIn).toFixed(0)} | ${(median(bytesIn) / modelBytes).toFixed(3)} |`);
