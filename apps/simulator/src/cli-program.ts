import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Command, InvalidArgumentError, Option } from 'commander';

import { AGGREGATOR_PLUGIN, EXECUTOR_PLUGIN, pluginsByName, RUNTIME_PLUGIN, type AggregatorPlugin, type ExecutorPlugin, type RuntimePlugin } from '@fedkit/core';
import { ALGORITHM_PLUGIN, OPTIMIZER_NAMES, type AlgorithmPlugin } from '@fedkit/learning';
import type { DependencyContainer } from 'tsyringe';

import { DEFAULT_CONFIG, mergeConfig, type SimulatorConfig } from './simulator-config.js';
import { TASK_PLUGIN, type TaskDefinition } from './task.js';

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
};

function nonNegative(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number >= 0.`);
    return n;
  };
}

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
    .option('--rounds <n>', 'total number of rounds', int('--rounds', 1), d.rounds)
    .option('--clients <n>', 'number of clients the train split is partitioned into', int('--clients', 1), d.clients)
    .option('--clients-per-round <n>', 'clients sampled uniformly per round (seeded)', int('--clients-per-round', 1), d.clientsPerRound)
    .option('--partition <how>', 'iid|shards|dirichlet:<alpha>', d.partition)
    .option('--local-epochs <n>', 'local epochs per round (E)', int('--local-epochs', 1), d.localEpochs)
    .option('--batch-size <n>', 'client batch size (B)', int('--batch-size', 1), d.batchSize)
    .addOption(new Option('--client-optimizer <name>', "client optimizer (default: the task's, else sgd)").choices([...OPTIMIZER_NAMES]))
    .option('--client-lr <lr>', "client learning rate (default: the task's optimizer's, else 0.1 for sgd, else Keras's default)", positive('--client-lr'))
    .option('--server-lr <lr>', "server learning rate (default: the algorithm's, listed below)", positive('--server-lr'))
    .option('--proximal-strength <mu>', 'FedProx mu (default 0.01)', nonNegative('--proximal-strength'))
    .option('--client-timeout <seconds>', 'a client still running after this long fails and the round goes on (worker threads are replaced)', positive('--client-timeout'))
    .addOption(new Option('--runtime <name>', 'tensor runtime').choices(['auto', 'gpu', ...new Set(runtimes)]).default(d.runtime))
    .option('--aggregator <how>', 'model aggregator (see below)', d.aggregator)
    .addOption(new Option('--executor <name>', 'where clients run (see below)').choices(executors.map((e) => e.name)).default(d.executor))
    .option('--seed <n>', 'seed of sampling, partition, shuffling and initial weights', int('--seed', 0), d.seed)
    .option('--split-seed <n>', "seed of a task's train/test split (default 0; --seed never changes the test set)", int('--split-seed', 0))
    .option('--out <dir>', 'output directory (metrics, checkpoints, report)', d.out)
    .option('--resume', 'continue from the latest checkpoint in --out', d.resume)
    .option('--overwrite', 'delete the outputs of an earlier run in --out and start again')
    .option('--allow-config-change', 'on --resume, accept changed training settings (recorded in metrics.jsonl)')
    .option('--eval-every <n>', 'evaluate on the held-out split every N rounds (0: never)', int('--eval-every', 0), d.evalEvery)
    .option(
      '--personalization-eval <epochs>',
      'after the last round, per sampled client: evaluate the global model on 20% of its data, fine-tune it on the other 80% for <epochs> epochs, evaluate again (metrics.jsonl)',
      int('--personalization-eval', 1),
    )
    .option('--checkpoint-every <n>', 'write a checkpoint every N rounds (and at the end)', int('--checkpoint-every', 1), d.checkpointEvery)
    .option('--workers <n>', 'parallel clients of the executor (worker threads); 0 runs them in the main thread', int('--workers', 0), d.workers)
    .option('--plugin <module>', 'a module exporting register(container), loaded in the main thread and every worker (repeatable)', collect)
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
  if (resuming && existsSync(savedPath)) {
    try {
      saved = JSON.parse(readFileSync(savedPath, 'utf8')) as Partial<SimulatorConfig>;
    } catch (e) {
      throw new Error(`--resume: cannot read ${savedPath}: ${(e as Error).message}. Restore it, or start a new run in another --out.`);
    }
  }
  return {
    config: mergeConfig(DEFAULT_CONFIG, saved, fromFile, fromFlags, { resume: resuming }),
    saved,
    given: mergeConfig(fromFile, fromFlags),
    overwrite: opts['overwrite'] === true,
    allowConfigChange: opts['allowConfigChange'] === true,
  };
}

