import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Command, InvalidArgumentError, Option } from 'commander';

import { AGGREGATORS } from './aggregators.js';
import { ALGORITHMS } from './algorithms.js';
import { BUILTIN_TASKS } from './builtin-tasks.js';
import { DEFAULT_CONFIG, mergeConfig, type SimulatorConfig } from './simulator-config.js';

function int(name: string, min: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}.`);
    return n;
  };
}

function positive(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a positive number.`);
    return n;
  };
}

/** Maps each flag to its config key. */
const FLAG_KEYS: Readonly<Record<string, keyof SimulatorConfig>> = {
  task: 'task',
  algorithm: 'algorithm',
  rounds: 'rounds',
  clients: 'clients',
  clientsPerRound: 'clientsPerRound',
  partition: 'partition',
  localEpochs: 'localEpochs',
  batchSize: 'batchSize',
  clientLr: 'clientLr',
  serverLr: 'serverLr',
  runtime: 'runtime',
  aggregator: 'aggregator',
  seed: 'seed',
  out: 'out',
  resume: 'resume',
  evalEvery: 'evalEvery',
  checkpointEvery: 'checkpointEvery',
  workers: 'workers',
};

/**
 * The commander program of `fedkit-simulate` (flags, defaults, `--help`).
 * @example
 * ```ts
 * const config = resolveConfig(buildProgram().parse(['node', 'cli', '--rounds', '2']));
 * ```
 */
export function buildProgram(): Command {
  const d = DEFAULT_CONFIG;
  return new Command('fedkit-simulate')
    .description('Simulate federated learning with fedkit: a task, an algorithm and a runtime, over rounds of sampled clients.')
    .option('--task <task>', `${Object.keys(BUILTIN_TASKS).join('|')}|<path to a task module>`, d.task)
    .addOption(new Option('--algorithm <name>', 'federated algorithm').choices([...ALGORITHMS]).default(d.algorithm))
    .option('--rounds <n>', 'total number of rounds', int('--rounds', 1), d.rounds)
    .option('--clients <n>', 'number of clients the train split is partitioned into', int('--clients', 1), d.clients)
    .option('--clients-per-round <n>', 'clients sampled uniformly per round (seeded)', int('--clients-per-round', 1), d.clientsPerRound)
    .option('--partition <how>', 'iid|shards|dirichlet:<alpha>', d.partition)
    .option('--local-epochs <n>', 'local epochs per round (E)', int('--local-epochs', 1), d.localEpochs)
    .option('--batch-size <n>', 'client batch size (B)', int('--batch-size', 1), d.batchSize)
    .option('--client-lr <lr>', 'client SGD learning rate', positive('--client-lr'), d.clientLr)
    .option('--server-lr <lr>', "server learning rate (default: the algorithm's)", positive('--server-lr'))
    .addOption(new Option('--runtime <name>', 'tensor runtime').choices(['auto', 'wasm', 'cpu', 'gpu']).default(d.runtime))
    .option('--aggregator <how>', `model aggregator: ${AGGREGATORS.join('|')}`, d.aggregator)
    .option('--seed <n>', 'seed of sampling, partition, shuffling and initial weights', int('--seed', 0), d.seed)
    .option('--out <dir>', 'output directory (metrics, checkpoints, report)', d.out)
    .option('--resume', 'continue from the latest checkpoint in --out', d.resume)
    .option('--eval-every <n>', 'evaluate on the held-out split every N rounds (0: never)', int('--eval-every', 0), d.evalEvery)
    .option('--checkpoint-every <n>', 'write a checkpoint every N rounds (and at the end)', int('--checkpoint-every', 1), d.checkpointEvery)
    .option('--workers <n>', 'worker threads running clients (0: in the main thread)', int('--workers', 0), d.workers)
    .option('--config <file>', 'JSON file with any of the options above (flags given on the command line override it)');
}

/** Resolves the config: defaults < saved config of a resumed run < --config file < explicit flags. */
export function resolveConfig(program: Command): SimulatorConfig {
  const opts = program.opts<Record<string, unknown>>();
  const fromFlags: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(FLAG_KEYS)) {
    if (program.getOptionValueSource(flag) === 'cli') fromFlags[key] = opts[flag];
  }
  let fromFile: Partial<SimulatorConfig> = {};
  if (typeof opts['config'] === 'string') {
    const path = resolve(opts['config']);
    try {
      fromFile = JSON.parse(readFileSync(path, 'utf8')) as Partial<SimulatorConfig>;
    } catch (e) {
      throw new Error(`Cannot read --config ${path}: ${(e as Error).message}`);
    }
    const unknown = Object.keys(fromFile).filter((k) => !Object.values(FLAG_KEYS).includes(k as keyof SimulatorConfig));
    if (unknown.length > 0) throw new Error(`--config ${path} has unknown keys: ${unknown.join(', ')}. Valid keys: ${Object.values(FLAG_KEYS).join(', ')}.`);
  }
  const out = (fromFlags['out'] ?? fromFile.out ?? DEFAULT_CONFIG.out) as string;
  const resuming = (fromFlags['resume'] ?? fromFile.resume) === true;
  let saved: Partial<SimulatorConfig> = {};
  const savedPath = join(resolve(out), 'config.json');
  if (resuming && existsSync(savedPath)) saved = JSON.parse(readFileSync(savedPath, 'utf8')) as Partial<SimulatorConfig>;
  return mergeConfig(DEFAULT_CONFIG, saved, fromFile, fromFlags, { resume: resuming });
}

