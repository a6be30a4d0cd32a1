import { resolve } from 'node:path';

import { resolveAggregator, resolvePlugin, selectRuntime, ValueError, type LabeledArrays } from '@fedkit/core';
import { ALGORITHM_PLUGIN, type AlgorithmPlugin } from '@fedkit/learning';
import { buildRegistry, checkTaskData, loadTask, resolveClientOptimizer } from '@fedkit/simulator';

import type { SessionLimits } from './client-session.js';
import { Federation, type FederationOptions } from './federation.js';
import type { TokenAuthority } from './token-authority.js';

/** A federation's settings by name, as the CLI and a config file give them. */
export interface FederationConfig {
  readonly name: string;
  /** A registered task (`mnist-2nn`, ...) or a task module path. */
  readonly task: string;
  readonly algorithm: string;
  /** `mean` (the algorithm's), any registered aggregator spec, or `secure[:bound[:bits]]` (masking on the clients). */
  readonly aggregator: string;
  readonly rounds: number;
  readonly clientsPerRound: number;
  readonly minClients: number;
  readonly overSelection: number;
  /** Seconds. */
  readonly roundDeadline: number;
  /** Seconds to wait for `clientsPerRound` clients before starting with `minClients`. */
  readonly selectionWindow: number;
  readonly clientOptimizer?: string;
  readonly clientLr?: number;
  readonly serverLr?: number;
  readonly seed: number;
  readonly out: string;
  readonly resume: boolean;
  readonly evalEvery: number;
  readonly checkpointEvery: number;
  readonly allowAnonymous: boolean;
  /** The runtime the server's evaluation uses (`auto`, `wasm`, `cpu`, ...). */
  readonly runtime: string;
  readonly plugins: readonly string[];
  /** Largest message in MiB (after chunks are joined). */
  readonly maxMessageMib: number;
  readonly messagesPerSecond: number;
  readonly maxConnectionsPerClient: number;
}

/** The defaults of `fedkit-server` (FedAvg on the MNIST 2NN, 10 clients a round, a 2-minute deadline). */
export const DEFAULT_FEDERATION: FederationConfig = {
  name: 'default',
  task: 'mnist-2nn',
  algorithm: 'fedavg',
  aggregator: 'mean',
  rounds: 100,
  clientsPerRound: 10,
  minClients: 2,
  overSelection: 0.3,
  roundDeadline: 120,
  selectionWindow: 10,
  seed: 0,
  out: 'server-out',
  resume: false,
  evalEvery: 1,
  checkpointEvery: 1,
  allowAnonymous: false,
  runtime: 'auto',
  plugins: [],
  maxMessageMib: 64,
  messagesPerSecond: 200,
  maxConnectionsPerClient: 4,
};

/**
 * Resolves a {@link FederationConfig} through the simulator's registry (the
 * same tasks, algorithms and aggregators, plus `--plugin` modules), loads the
 * task's held-out split for evaluation, and builds the {@link Federation}.
 * @example
 * ```ts
 * const federation = await buildFederation({ ...DEFAULT_FEDERATION, name: 'mnist', rounds: 5 }, new TokenAuthority(secret));
 * ```
 */
export async function buildFederation(config: FederationConfig, authority: TokenAuthority | undefined, extra: Partial<FederationOptions> = {}): Promise<Federation> {
  const container = await buildRegistry({ plugins: config.plugins.map((p) => resolve(p)) });
  const algorithm = resolvePlugin<AlgorithmPlugin>(container, ALGORITHM_PLUGIN, config.algorithm, 'algorithm');
  const secureMatch = /^secure(?::([^:]+))?(?::([^:]+))?$/.exec(config.aggregator);
  let secure: FederationOptions['secure'];
  let modelAggregator: FederationOptions['modelAggregator'];
  if (secureMatch !== null) {
    const bound = secureMatch[1] === undefined ? 1 : Number(secureMatch[1]);
    const bits = secureMatch[2] === undefined ? 16 : Number(secureMatch[2]);
    if (!(bound > 0) || !Number.isInteger(bits) || bits < 1 || bits > 24) throw new ValueError(`--aggregator ${config.aggregator}: expected secure[:bound[:bits]] with bound > 0 and bits in [1, 24].`);
    secure = { bound, bits };
  } else if (config.aggregator !== 'mean') {
    modelAggregator = resolveAggregator(container, config.aggregator, { clients: config.clientsPerRound, clientsPerRound: config.clientsPerRound, seed: config.seed });
  }
  await selectRuntime(container, config.runtime);
  const task = await loadTask(container, config.task);
  const data = checkTaskData(await task.loadData({ seed: config.seed, splitSeed: 0 }), task.name);
  const limits: SessionLimits = { maxMessageBytes: Math.round(config.maxMessageMib * 1024 * 1024), chunkBytes: 1024 * 1024, messagesPerSecond: config.messagesPerSecond, burst: config.messagesPerSecond * 5 };
  const testData: LabeledArrays = data.test;
  return new Federation(
    {
      name: config.name,
      task,
      algorithm,
      ...(modelAggregator === undefined ? {} : { modelAggregator }),
      ...(secure === undefined ? {} : { secure }),
      clientOptimizer: resolveClientOptimizer(task.clientOptimizer, config.clientOptimizer, config.clientLr),
      ...(config.serverLr === undefined ? {} : { serverLearningRate: config.serverLr }),
      rounds: config.rounds,
      clientsPerRound: config.clientsPerRound,
      minClients: config.minClients,
      overSelection: config.overSelection,
      roundDeadlineMs: config.roundDeadline * 1000,
      selectionWindowMs: config.selectionWindow * 1000,
      seed: config.seed,
      testData,
      evalEvery: config.evalEvery,
      out: resolve(config.out),
      resume: config.resume,
      checkpointEvery: config.checkpointEvery,
      allowAnonymous: config.allowAnonymous,
      limits,
      maxConnectionsPerClient: config.maxConnectionsPerClient,
      ...extra,
    },
    authority,
  );
}
