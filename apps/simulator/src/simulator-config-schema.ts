import { InvalidArgumentError } from 'commander';

import { ValueError } from '@fedkit/core';
import { OPTIMIZER_NAMES } from '@fedkit/learning';
import { z } from 'zod';

import type { SimulatorConfig } from './simulator-config.js';

/**
 * The rule of one config key: a zod schema, the words an error uses for what it
 * expects, and how a command-line flag's text becomes a value (numbers are parsed;
 * strings pass as they are).
 */
export interface ConfigKeyRule<T> {
  readonly schema: z.ZodType<T>;
  /** What the value must be, as an error says it: `an integer >= 1`. */
  readonly expected: string;
  /** Turns a flag's text into the value the schema checks (default: the text itself). */
  readonly fromFlag?: (text: string) => unknown;
  /** The value may hold a secret (a Redis password): errors never repeat it. */
  readonly secret?: boolean;
}

// A flag's text as a number; '' and ' ' would be 0 for Number(), so they become NaN and are refused.
const toNumber = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

const integer = (min: number): ConfigKeyRule<number> => ({ schema: z.number().int().min(min), expected: `an integer >= ${min}`, fromFlag: toNumber });
const positive: ConfigKeyRule<number> = { schema: z.number().positive().finite(), expected: 'a finite number > 0', fromFlag: toNumber };
const nonNegative: ConfigKeyRule<number> = { schema: z.number().min(0).finite(), expected: 'a finite number >= 0', fromFlag: toNumber };
const text = (expected: string): ConfigKeyRule<string> => ({ schema: z.string().min(1), expected });
const flag: ConfigKeyRule<boolean> = { schema: z.boolean(), expected: 'true or false' };

/**
 * One rule per key of {@link SimulatorConfig}: the single schema that both the
 * command-line flags (through {@link flagParser}) and a `--config` file (through
 * {@link parseConfigFile}) are checked with. A new key needs one entry here (the
 * compiler asks for it), a field in `SimulatorConfig`, and, for a flag, a line in
 * `FLAG_KEYS` and in `buildProgram` (cli-program.ts).
 *
 * Names chosen from the registry (algorithm, aggregator, runtime, executor) are
 * strings here: which names exist depends on the `--plugin` modules, so they are
 * checked against the registry where they are resolved, with the valid ones listed.
 */
export const CONFIG_KEYS = {
  task: text('a registered task name or a path to a task module'),
  algorithm: text('an algorithm name (listed by --help)'),
  rounds: integer(1),
  clients: integer(1),
  clientsPerRound: integer(1),
  partition: {
    schema: z.string().refine((p) => p === 'iid' || p === 'shards' || (/^dirichlet:[0-9.eE+-]+$/.test(p) && Number(p.slice(10)) > 0 && Number.isFinite(Number(p.slice(10))))),
    expected: 'iid, shards or dirichlet:<alpha> with a finite alpha > 0 (e.g. dirichlet:0.5)',
  },
  localEpochs: integer(1),
  batchSize: integer(1),
  clientOptimizer: { schema: z.enum(OPTIMIZER_NAMES), expected: `one of ${OPTIMIZER_NAMES.join(', ')}` },
  clientLr: positive,
  serverLr: positive,
  proximalStrength: nonNegative,
  clientTimeout: positive,
  runtime: text('a runtime name: auto, gpu or a registered one (listed by --help)'),
  aggregator: text('an aggregator form such as mean, median or krum:1 (listed by --help)'),
  seed: integer(0),
  splitSeed: integer(0),
  out: text('a folder path'),
  resume: flag,
  evalEvery: integer(0),
  personalizationEval: integer(1),
  checkpointEvery: integer(1),
  executor: text('an executor name (listed by --help)'),
  workers: integer(0),
  plugins: { schema: z.array(z.string().min(1)), expected: 'an array of module paths' },
  redis: { schema: z.string().regex(/^rediss?:\/\/\S+$/), expected: 'a Redis URL: redis[s]://[user:password@]host:port', secret: true },
} satisfies { readonly [K in keyof SimulatorConfig]-?: ConfigKeyRule<NonNullable<SimulatorConfig[K]>> };

/** A config key's value broke its rule in {@link CONFIG_KEYS}. */
export class ConfigValueError extends ValueError {
  constructor(
    message: string,
    /** The config key (`clientLr`), or `undefined` for a problem with the file as a whole. */
    readonly key: string | undefined,
    /** What the key must be, or the valid keys for an unknown one. */
    readonly expected: string,
    /** The value found. */
    readonly found: unknown,
  ) {
    super(message);
    this.name = 'ConfigValueError';
  }
}

/** The keys a `--config` file may hold. */
export const CONFIG_KEY_NAMES: readonly string[] = Object.keys(CONFIG_KEYS);

function rule(key: string): ConfigKeyRule<unknown> {
  return (CONFIG_KEYS as Record<string, ConfigKeyRule<unknown>>)[key]!;
}

function shown(value: unknown): string {
  if (typeof value === 'number') return String(value); // JSON.stringify would print NaN as null
  return JSON.stringify(value) ?? String(value);
}

/**
 * The commander argument parser of a flag: its text through the key's rule in
 * {@link CONFIG_KEYS}. commander reports a thrown error as
 * `error: option '--client-lr <lr>' argument '-1' is invalid. <message>`.
 * @example
 * ```ts
 * new Command().option('--rounds <n>', 'total number of rounds', flagParser('rounds'), 200);
 * ```
 */
export function flagParser<K extends keyof typeof CONFIG_KEYS>(key: K): (text: string) => NonNullable<SimulatorConfig[K]> {
  const r = rule(key);
  const flagName = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return (input) => {
    const value = r.fromFlag === undefined ? input : r.fromFlag(input);
    const parsed = r.schema.safeParse(value);
    // commander prints an InvalidArgumentError as its "argument is invalid" message and exits with status 1.
    if (!parsed.success) throw new InvalidArgumentError(`${flagName} must be ${r.expected}, found ${r.secret === true ? 'a value not shown here (it may hold a password)' : input.trim() === '' ? JSON.stringify(input) : input}.`);
    return parsed.data as NonNullable<SimulatorConfig[K]>;
  };
}

/**
 * Checks the parsed JSON of a config file (`--config`, or a run's `config.json`)
 * against {@link CONFIG_KEYS}: every key known, every value typed and in range.
 * @param where names the file in errors, e.g. `--config /tmp/c.json`.
 * @param fix what the user should do about a bad value (the default suits a `--config` file).
 * @throws ConfigValueError naming the file, the key, what it expects and what was found.
 * @example
 * ```ts
 * parseConfigFile({ clientLr: -1 }, '--config c.json');
 * // ConfigValueError: --config c.json: clientLr must be a finite number > 0, found -1. ...
 * ```
 */
export function parseConfigFile(json: unknown, where: string, fix = 'Fix the value, or remove the key to use the default.'): Partial<SimulatorConfig> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ConfigValueError(`${where} must hold a JSON object such as {"rounds": 20}, found ${shown(json)}.`, undefined, 'a JSON object', json);
  }
  const unknown = Object.keys(json).filter((k) => !CONFIG_KEY_NAMES.includes(k));
  if (unknown.length > 0) {
    throw new ConfigValueError(`${where} has unknown keys: ${unknown.join(', ')}. Valid keys: ${CONFIG_KEY_NAMES.join(', ')} (each flag's name in camelCase, e.g. clientLr for --client-lr).`, unknown[0], CONFIG_KEY_NAMES.join(', '), unknown);
  }
  const problems: ConfigValueError[] = [];
  for (const [key, value] of Object.entries(json)) {
    const r = rule(key);
    if (!r.schema.safeParse(value).success) problems.push(new ConfigValueError(`${key} must be ${r.expected}, found ${r.secret === true ? 'a value not shown here' : shown(value)}`, key, r.expected, r.secret === true ? undefined : value));
  }
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new ConfigValueError(`${where}: ${problems.map((p) => p.message).join('; ')}. ${fix}`, first.key, first.expected, first.found);
  }
  return json as Partial<SimulatorConfig>;
}
