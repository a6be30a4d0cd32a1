/** The four parts of the GPU check, in the order they run. */
export const CHECK_PARTS = ['adapter', 'numeric', 'throughput', 'rounds'] as const;
export type CheckPart = (typeof CHECK_PARTS)[number];

/** What the GPU check runs and how big each part is. */
export interface CheckOptions {
  /** Folder that receives `gpu-check.json`. */
  readonly out: string;
  /** Parts to run; the others are recorded as skipped. */
  readonly parts: readonly CheckPart[];
  /** Backends compared with (and timed against) each other; cpu, the numeric reference, always runs. */
  readonly backends: readonly ('wasm' | 'webgpu')[];
  /** Clients in the numeric suite's FedAvg round. */
  readonly numericClients: number;
  /** Examples per client in the numeric suite's FedAvg round (2NN); the CNN round uses `numericCnnExamples`. */
  readonly numericExamples: number;
  readonly numericCnnExamples: number;
  /** Clients in the CNN's round: each trains one batch, which costs the cpu reference seconds (its Conv2D gradient is slow). */
  readonly numericCnnClients: number;
  /** Batch sizes of the throughput part. */
  readonly batches: readonly number[];
  /** Seconds each throughput case trains for, after its warm-up steps. */
  readonly seconds: number;
  /** Clients per round in the rounds part. */
  readonly clients: readonly number[];
  /** Examples per client and the local batch size in the rounds part (1 local epoch). */
  readonly examplesPerClient: number;
  readonly roundBatch: number;
  /** Timed rounds per case (after one warm-up round of 2 clients). */
  readonly rounds: number;
  /** A rounds case whose estimate (from the previous, smaller case) exceeds this many seconds is skipped. */
  readonly caseBudgetSeconds: number;
  /** Seconds for the whole check; throughput and rounds cases that would start later are skipped (a device call has 600 s). */
  readonly timeBudgetSeconds: number;
  /**
   * Clients per round when the rounds part runs on wasm (the CPU baseline; empty: not at all). Fewer than on the GPU:
   * 100 CNN clients take minutes per round on one core, and a device call has 10 minutes in all.
   */
  readonly wasmClients: readonly number[];
}

/** The full run, as a GPU machine executes it. */
export const FULL: Omit<CheckOptions, 'out' | 'parts' | 'backends'> = {
  numericClients: 4,
  numericExamples: 40,
  numericCnnExamples: 2,
  numericCnnClients: 2,
  batches: [10, 64, 256],
  seconds: 3,
  clients: [10, 100],
  examplesPerClient: 100,
  roundBatch: 20,
  rounds: 2,
  caseBudgetSeconds: 120,
  timeBudgetSeconds: 420,
  wasmClients: [10],
};

/** `--quick`: every part, sized for a CPU-only test run of well under a minute. */
export const QUICK: Omit<CheckOptions, 'out' | 'parts' | 'backends'> = {
  numericClients: 2,
  numericExamples: 8,
  numericCnnExamples: 1,
  numericCnnClients: 1,
  batches: [10],
  seconds: 0.3,
  clients: [2],
  examplesPerClient: 10,
  roundBatch: 10,
  rounds: 1,
  caseBudgetSeconds: 30,
  timeBudgetSeconds: 300,
  wasmClients: [2],
};

const VALUE_FLAGS = ['--out', '--only', '--skip', '--backends', '--batches', '--clients', '--wasm-clients', '--seconds', '--examples-per-client', '--round-batch', '--rounds', '--case-budget', '--time-budget'];

const USAGE = `usage: gpu-check --out DIR [--quick] [--only PARTS | --skip PARTS] [--backends wasm,webgpu] [--batches 10,64,256] [--seconds 3]
  [--clients 10,100] [--examples-per-client 100] [--round-batch 20] [--rounds 2] [--case-budget 120] [--time-budget 420] [--wasm-clients 10 | --no-wasm-rounds]
PARTS: comma-separated from ${CHECK_PARTS.join(', ')}`;

/**
 * Parses the GPU check's command line. `--quick` starts from the small preset;
 * later flags override single sizes.
 *
 * @throws RangeError naming the flag, what was found and the usage line, for an unknown flag, a missing value,
 *   a part name that does not exist, or a size that is not a positive number.
 * @example
 * ```ts
 * const options = parseCheckOptions(['--out', 'results', '--quick', '--skip', 'rounds']);
 * ```
 */
export function parseCheckOptions(argv: readonly string[]): CheckOptions {
  const quick = argv.includes('--quick');
  const sizes: { -readonly [K in keyof typeof FULL]: (typeof FULL)[K] } = { ...(quick ? QUICK : FULL) };
  let out: string | undefined;
  let parts: CheckPart[] = [...CHECK_PARTS];
  let backends: ('wasm' | 'webgpu')[] = ['wasm', 'webgpu'];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--quick') continue;
    if (flag === '--no-wasm-rounds') {
      sizes.wasmClients = [];
      continue;
    }
    if (!VALUE_FLAGS.includes(flag)) throw new RangeError(`Unknown flag ${flag}.\n${USAGE}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new RangeError(`${flag} expects a value, found none.\n${USAGE}`);
    i++;
    switch (flag) {
      case '--out':
        out = value;
        break;
      case '--only':
        parts = parseParts(flag, value);
        break;
      case '--skip': {
        const skipped = parseParts(flag, value);
        parts = parts.filter((p) => !skipped.includes(p));
        break;
      }
      case '--backends':
        backends = value.split(',').map((b) => {
          if (b !== 'wasm' && b !== 'webgpu') throw new RangeError(`--backends expects wasm and/or webgpu, found "${b}".\n${USAGE}`);
          return b;
        });
        break;
      case '--batches':
        sizes.batches = parseList(flag, value);
        break;
      case '--clients':
        sizes.clients = parseList(flag, value);
        break;
      case '--wasm-clients':
        sizes.wasmClients = parseList(flag, value);
        break;
      case '--seconds':
        sizes.seconds = parsePositive(flag, value, false);
        break;
      case '--examples-per-client':
        sizes.examplesPerClient = parsePositive(flag, value, true);
        break;
      case '--round-batch':
        sizes.roundBatch = parsePositive(flag, value, true);
        break;
      case '--rounds':
        sizes.rounds = parsePositive(flag, value, true);
        break;
      case '--time-budget':
        sizes.timeBudgetSeconds = parsePositive(flag, value, false);
        break;
      case '--case-budget':
        sizes.caseBudgetSeconds = parsePositive(flag, value, false);
        break;
      default:
        throw new RangeError(`Unknown flag ${flag}.\n${USAGE}`);
    }
  }
  if (out === undefined) throw new RangeError(`--out DIR is required: the folder that receives gpu-check.json.\n${USAGE}`);
  return { out, parts, backends, ...sizes };
}

function parseParts(flag: string, value: string): CheckPart[] {
  return value.split(',').map((p) => {
    if (!(CHECK_PARTS as readonly string[]).includes(p)) {
      throw new RangeError(`${flag} expects parts from ${CHECK_PARTS.join(', ')}, found "${p}".\n${USAGE}`);
    }
    return p as CheckPart;
  });
}

function parseList(flag: string, value: string): number[] {
  return value.split(',').map((v) => parsePositive(flag, v, true));
}

function parsePositive(flag: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n)))) {
    throw new RangeError(`${flag} expects a positive ${integer ? 'integer' : 'number'}, found "${value}".\n${USAGE}`);
  }
  return n;
}
