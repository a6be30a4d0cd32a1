import { cpus } from 'node:os';

/** Everything a CLI run needs; `config.json` in the output directory holds the resolved one. */
export interface SimulatorConfig {
  readonly task: string;
  readonly algorithm: string;
  readonly rounds: number;
  readonly clients: number;
  readonly clientsPerRound: number;
  /** `iid`, `shards` (2 label-sorted shards per client, as in the FedAvg paper) or `dirichlet:<alpha>`. */
  readonly partition: string;
  readonly localEpochs: number;
  readonly batchSize: number;
  /** The client optimizer's name (`sgd`, `adam`, ...); the task's (else SGD) when undefined. */
  readonly clientOptimizer?: string;
  /** The client learning rate; the task's optimizer's (else 0.1) when undefined. */
  readonly clientLr?: number;
  /** The algorithm's default when undefined. */
  readonly serverLr?: number;
  /** FedProx's μ (default 0.01); other algorithms ignore it. */
  readonly proximalStrength?: number;
  /** Seconds after which a running client fails and its round goes on without it; none when undefined. */
  readonly clientTimeout?: number;
  readonly runtime: string;
  /** `mean` (the algorithm's), `median`, `trimmed-mean[:beta]`, `krum[:f]`, `bulyan[:f]`, `clip:<norm>`, `zeroing:<t>`, `dp:<z>:<clip>`, `dp-client:<z>:<clip>`, `secure[:bound]`, `quantize[:bits]`. */
  readonly aggregator: string;
  readonly seed: number;
  /** Seed of a task's train/test split (default 0), kept apart from `seed` so that every seed is scored on the same test set. */
  readonly splitSeed?: number;
  readonly out: string;
  readonly resume: boolean;
  /**
   * Personalization evaluation with the final evaluation: each sampled client (as many as per round) splits its
   * data 80/20, evaluates the global model on its 20%, fine-tunes it for this many epochs on its 80% with the
   * client optimizer and evaluates again. Off when undefined.
   */
  readonly personalizationEval?: number;
  /** Evaluate on the held-out split every N rounds (and after the last); 0 never. */
  readonly evalEvery: number;
  readonly checkpointEvery: number;
  /** The client executor by registry name: `worker-threads` (default), `in-process`, or a plugin's. */
  readonly executor: string;
  /** Parallel clients of the executor (worker threads); 0 runs clients in the main thread (`in-process`). */
  readonly workers: number;
  /** Modules exporting `register(container)`, loaded in the main thread and in every worker. */
  readonly plugins: readonly string[];
  /** Redis URL of the `bullmq` executor (`redis[s]://[user:password@]host:port`); `config.json` keeps it without the password. */
  readonly redis?: string;
}

/**
 * The default run: the FedAvg paper's MNIST 2NN setting (C = 0.1, E = 1, B = 10, SGD 0.1).
 * 200 rounds: test accuracy stays at or above 94% from about round 145 on (measured, see README).
 */
export const DEFAULT_CONFIG: SimulatorConfig = {
  task: 'mnist-2nn',
  algorithm: 'fedavg',
  rounds: 200,
  clients: 100,
  clientsPerRound: 10,
  partition: 'iid',
  localEpochs: 1,
  batchSize: 10,
  runtime: 'auto',
  aggregator: 'mean',
  seed: 0,
  out: 'out',
  resume: false,
  evalEvery: 1,
  checkpointEvery: 10,
  executor: 'worker-threads',
  workers: cpus().length,
  plugins: [],
};

/**
 * Merges configs left to right: defaults, then a `--config` file, then flags
 * given on the command line (later ones win; `undefined` values are skipped).
 * @example
 * ```ts
 * mergeConfig(DEFAULT_CONFIG, { rounds: 5 }, { rounds: 2 }).rounds; // 2
 * ```
 */
export function mergeConfig(...layers: readonly Partial<SimulatorConfig>[]): SimulatorConfig {
  const out: Record<string, unknown> = {};
  for (const layer of layers) for (const [k, v] of Object.entries(layer)) if (v !== undefined) out[k] = v;
  return out as unknown as SimulatorConfig;
}
