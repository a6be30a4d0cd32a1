import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Command, Option } from 'commander';

import { AGGREGATOR_PLUGIN, EXECUTOR_PLUGIN, pluginsByName, RUNTIME_PLUGIN, type AggregatorPlugin, type ExecutorPlugin, type RuntimePlugin } from '@fedkit/core';
import { ALGORITHM_PLUGIN, OPTIMIZER_NAMES, type AlgorithmPlugin } from '@fedkit/learning';
import type { DependencyContainer } from 'tsyringe';

import { DEFAULT_CONFIG, mergeConfig, type SimulatorConfig } from './simulator-config.js';
import { flagParser, parseConfigFile } from './simulator-config-schema.js';
import { TASK_PLUGIN, type TaskDefinition } from './task.js';

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
  clientOptimizer: 'clientOptimizer',
  clientLr: 'clientLr',
  serverLr: 'serverLr',
  proximalStrength: 'proximalStrength',
  clientTimeout: 'clientTimeout',
  runtime: 'runtime',
  aggregator: 'aggregator',
  seed: 'seed',
  splitSeed: 'splitSeed',
  out: 'out',
  resume: 'resume',
  evalEvery: 'evalEvery',
  personalizationEval: 'personalizationEval',
  checkpointEvery: 'checkpointEvery',
  executor: 'executor',
  workers: 'workers',
  plugin: 'plugins',
  redis: 'redis',
};

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `name  description` lines of a registry, for `--help`. */
function listing(entries: readonly { readonly name: string; readonly line: string }[]): string {
  const width = Math.max(...entries.map((e) => e.name.length));
  return entries.map((e) => `  ${e.name.padEnd(width)}  ${e.line}`).join('\n');
}

/**
 * The commander program of `fedkit-simulate` (flags, defaults, `--help`).
 * Every named choice (task, algorithm, aggregator, executor, runtime) comes
 * from the registry in `container`, so a registered plugin needs no edit here.
 * @example
 * ```ts
 * const config = resolveConfig(buildProgram(registerBuiltins(createFedkitContainer())).parse(['node', 'cli', '--rounds', '2']));
 * ```
 */
export function buildProgram(container: DependencyContainer): Command {
  const d = DEFAULT_CONFIG;
  const algorithms = [...pluginsByName<AlgorithmPlugin>(container, ALGORITHM_PLUGIN).values()].sort((a, b) => a.name.localeCompare(b.name));
  const aggregators = [...pluginsByName<AggregatorPlugin>(container, AGGREGATOR_PLUGIN).values()].sort((a, b) => a.name.localeCompare(b.name));
  const executors = [...pluginsByName<ExecutorPlugin>(container, EXECUTOR_PLUGIN).values()].sort((a, b) => a.name.localeCompare(b.name));
  const runtimes = [...pluginsByName<RuntimePlugin>(container, RUNTIME_PLUGIN).keys(), 'cpu'];
  const tasks = [...pluginsByName<TaskDefinition>(container, TASK_PLUGIN).keys()].sort();
  return new Command('fedkit-simulate')
    .description('Simulate federated learning with fedkit: a task, an algorithm and a runtime, over rounds of sampled clients.')
    .option('--task <task>', `${tasks.join('|')}|<path to a task module>`, d.task)
    .addOption(new Option('--algorithm <name>', 'federated algorithm (see below)').choices(algorithms.map((a) => a.name)).default(d.algorithm))
    .option('--rounds <n>', 'total number of rounds', flagParser('rounds'), d.rounds)
    .option('--clients <n>', 'number of clients the train split is partitioned into', flagParser('clients'), d.clients)
    .option('--clients-per-round <n>', 'clients sampled uniformly per round (seeded)', flagParser('clientsPerRound'), d.clientsPerRound)
    .option('--partition <how>', 'iid|shards|dirichlet:<alpha>', flagParser('partition'), d.partition)
    .option('--local-epochs <n>', 'local epochs per round (E)', flagParser('localEpochs'), d.localEpochs)
    .option('--batch-size <n>', 'client batch size (B)', flagParser('batchSize'), d.batchSize)
    .addOption(new Option('--client-optimizer <name>', "client optimizer (default: the task's, else sgd)").choices([...OPTIMIZER_NAMES]))
    .option('--client-lr <lr>', "client learning rate (default: the task's optimizer's, else 0.1 for sgd, else Keras's default)", flagParser('clientLr'))
    .option('--server-lr <lr>', "server learning rate (default: the algorithm's, listed below)", flagParser('serverLr'))
    .option('--proximal-strength <mu>', 'FedProx mu (default 0.01)', flagParser('proximalStrength'))
    .option('--client-timeout <seconds>', 'a client still running after this long fails and the round goes on (worker threads are replaced)', flagParser('clientTimeout'))
    .addOption(new Option('--runtime <name>', 'tensor runtime').choices(['auto', 'gpu', ...new Set(runtimes)]).default(d.runtime))
    .option('--aggregator <how>', 'model aggregator (see below)', d.aggregator)
    .addOption(new Option('--executor <name>', 'where clients run (see below)').choices(executors.map((e) => e.name)).default(d.executor))
    .option('--seed <n>', 'seed of sampling, partition, shuffling and initial weights', flagParser('seed'), d.seed)
    .option('--split-seed <n>', "seed of a task's train/test split (default 0; --seed never changes the test set)", flagParser('splitSeed'))
    .option('--out <dir>', 'output directory (metrics, checkpoints, report)', d.out)
    .option('--resume', 'continue from the latest checkpoint in --out', d.resume)
    .option('--overwrite', 'delete the outputs of an earlier run in --out and start again')
    .option('--allow-config-change', 'on --resume, accept changed training settings (recorded in metrics.jsonl)')
    .option('--eval-every <n>', 'evaluate on the held-out split every N rounds (0: never)', flagParser('evalEvery'), d.evalEvery)
    .option(
      '--personalization-eval <epochs>',
      'after the last round, per sampled client: evaluate the global model on 20% of its data, fine-tune it on the other 80% for <epochs> epochs, evaluate again (metrics.jsonl)',
      flagParser('personalizationEval'),
    )
    .option('--checkpoint-every <n>', 'write a checkpoint every N rounds (and at the end)', flagParser('checkpointEvery'), d.checkpointEvery)
    .option('--workers <n>', 'parallel clients of the executor (worker threads); 0 runs them in the main thread', flagParser('workers'), d.workers)
    .option('--plugin <module>', 'a module exporting register(container), loaded in the main thread and every worker (repeatable)', collect)
    // How the run is shown (not saved in config.json; see view-options.ts).
    .option('--verbose', 'print every round, client failure and checkpoint, and why each runtime was not chosen')
    .option('--tensorboard <dir>', 'also write TensorBoard event files (scalars per round) into dir')
    .option('--dashboard [port]', 'serve a live dashboard of the run at http://127.0.0.1:port/ (default 7070; 0 picks a free port)')
    .option('--dashboard-host <host>', 'address the dashboard listens on (default 127.0.0.1: this machine only)')
    // Clients on other machines (executor bullmq): the coordinator's Redis; `fedkit-simulate worker --help` runs workers.
    .option('--redis <url>', 'Redis of --executor bullmq: redis[s]://[user:password@]host:port (workers: fedkit-simulate worker --redis <url>)', flagParser('redis'))
    .option('--config <file>', 'JSON file with any of the options above (flags given on the command line override it)')
    .addHelpText(
      'after',
      [
        '',
        'Algorithms (--algorithm; default server learning rate in brackets):',
        listing(algorithms.map((a) => ({ name: a.name, line: `${a.description} [${a.defaultServerLearningRate}]${a.ignores?.includes('clientOptimizer') ? '; ignores --client-optimizer, --client-lr, --local-epochs' : ''}` }))),
        '',
        'Aggregators (--aggregator; mean is the algorithm\'s own):',
        listing(aggregators.map((a) => ({ name: a.usage, line: a.description }))),
        '',
        'Executors (--executor):',
        listing(executors.map((e) => ({ name: e.name, line: e.description }))),
      ].join('\n'),
    );
}

/** Resolves the config: defaults < saved config of a resumed run < --config file < explicit flags. */
export function resolveConfig(program: Command): SimulatorConfig {
  return resolveRun(program).config;
}

/** What {@link resolveRun} found. */
export interface ResolvedRun {
  readonly config: SimulatorConfig;
  /** The run's `config.json` when resuming (empty otherwise or when absent). */
  readonly saved: Partial<SimulatorConfig>;
  /** What the user gave: the `--config` file's keys overridden by command-line flags. */
  readonly given: Partial<SimulatorConfig>;
  readonly overwrite: boolean;
  readonly allowConfigChange: boolean;
}

/**
 * Resolves the config like {@link resolveConfig} and keeps its layers apart,
 * so that a resume can compare what was given with what the run saved.
 * Reads files only; writes nothing.
 * @example
 * ```ts
 * const { config, saved, given } = resolveRun(buildProgram(registry).parse(process.argv));
 * ```
 */
export function resolveRun(program: Command): ResolvedRun {
  const opts = program.opts<Record<string, unknown>>();
  const fromFlags: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(FLAG_KEYS)) {
    if (program.getOptionValueSource(flag) === 'cli') fromFlags[key] = opts[flag];
  }
  let fromFile: Partial<SimulatorConfig> = {};
  if (typeof opts['config'] === 'string') {
    const path = resolve(opts['config']);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`Cannot read --config ${path}: ${(e as Error).message}`);
    }
    fromFile = parseConfigFile(json, `--config ${path}`);
  }
  const out = (fromFlags['out'] ?? fromFile.out ?? DEFAULT_CONFIG.out) as string;
  const resuming = (fromFlags['resume'] ?? fromFile.resume) === true;
  let saved: Partial<SimulatorConfig> = {};
  const savedPath = join(resolve(out), 'config.json');
  if (resuming && existsSync(savedPath)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(savedPath, 'utf8'));
    } catch (e) {
      throw new Error(`--resume: cannot read ${savedPath}: ${(e as Error).message}. Restore it, or start a new run in another --out.`);
    }
    saved = parseConfigFile(json, `--resume: ${savedPath}`, 'Restore it, or start a new run in another --out.');
  }
  return {
    config: mergeConfig(DEFAULT_CONFIG, saved, fromFile, fromFlags, { resume: resuming }),
    saved,
    given: mergeConfig(fromFile, fromFlags),
    overwrite: opts['overwrite'] === true,
    allowConfigChange: opts['allowConfigChange'] === true,
  };
}

