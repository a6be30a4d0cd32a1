import type { ClientDataRef, ClientTaskOutcome, OptimizerConfig, ClientUpdateSpec } from '@fedkit/core';

/**
 * What the coordinator and the workers agree on: Redis key names and the
 * plain JSON of a client job. Every key of a run lives under
 * `<prefix>:run:<runKey>:`, so runs sharing one Redis never mix.
 */
export interface ClientJobData {
  /** The coordinator's run key (a random id per coordinator process). */
  readonly run: string;
  readonly round: number;
  readonly clientIndex: number;
  readonly clientId?: number | string;
  readonly update: ClientUpdateSpec;
  readonly optimizer?: OptimizerConfig;
  /** The client's data as a reference the worker's environment resolves. */
  readonly data: ClientDataRef;
  readonly trainableShapes: number[][];
  readonly nonTrainableShapes: number[][];
  /** Names of the task's input arrays, stored under the run's `inputs` key; absent when none. */
  readonly inputs?: readonly string[];
  readonly timeoutMs?: number;
}

/** The header of a stored client result (the arrays follow it in the packed value). */
export interface StoredResultHeader {
  /** The outcome without its Float32Arrays (`update` and `outputs` are in the packed arrays). */
  readonly outcome: Omit<Extract<ClientTaskOutcome, { ok: false }>, 'attempts'> | (Omit<Extract<ClientTaskOutcome, { ok: true }>, 'result' | 'attempts'> & {
    readonly result: Omit<Extract<ClientTaskOutcome, { ok: true }>['result'], 'update' | 'outputs'> & { readonly outputNames?: readonly string[]; readonly outputCounts?: readonly number[] };
  });
  /** BullMQ's `attemptsStarted` when the worker ran it: 2 after one stalled-job recovery. */
  readonly attempt: number;
  /** The worker that ran it (host:pid), for logs. */
  readonly worker: string;
}

/** Key names of a run. */
export class RunKeys {
  constructor(
    readonly prefix: string,
    readonly run: string,
  ) {}

  private base(): string {
    return `${this.prefix}:run:${this.run}`;
  }

  /** The round the coordinator is running; expires when the coordinator stops heart-beating. */
  live(): string {
    return `${this.base()}:live`;
  }

  /** The run's environment spec options (JSON): how a worker builds the model and data resolver. */
  environment(): string {
    return `${this.base()}:env`;
  }

  /** The round's broadcast weights (packed float32). */
  weights(round: number): string {
    return `${this.base()}:w:${round}`;
  }

  /** One client's input arrays (packed float32), e.g. SCAFFOLD's control variates. */
  inputs(round: number, clientIndex: number): string {
    return `${this.base()}:in:${round}:${clientIndex}`;
  }

  /** One client's result (packed float32 update behind a JSON header). */
  result(round: number, clientIndex: number): string {
    return `${this.base()}:u:${round}:${clientIndex}`;
  }

  /** The BullMQ job id of a client (ids may not contain `:`). */
  jobId(round: number, clientIndex: number): string {
    return `${this.run}-${round}-${clientIndex}`;
  }
}

/** The queue every coordinator and worker of one Redis share unless told otherwise. */
export const DEFAULT_QUEUE = 'fedkit-clients';
/** The key prefix of fedkit's keys and of its BullMQ queue. */
export const DEFAULT_PREFIX = 'fedkit';
