import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { PROTOCOL_VERSION, type ClientMessage, type TaskDescription } from '@fedkit/client';
import { ValueError, type AggregatorFactory, type ClientDataset, type FinalizedMetrics, type LabeledArrays, type LearningProcess, type OptimizerConfig } from '@fedkit/core';
import { arrayBatches } from '@fedkit/datasets';
import { buildFederatedEvaluation, type AlgorithmPlugin, type FederatedEvaluation } from '@fedkit/learning';
import { buildReportHtml, loadLatestCheckpoint, MetricsLog, saveCheckpoint, taskModelFactory, type CheckpointableState, type RoundRecord, type TaskDefinition } from '@fedkit/simulator';
import type { WebSocket } from 'ws';

import { ClientSession, type SessionLimits } from './client-session.js';
import { RemoteExecutor, type RemoteSessionRef, type RoundTraffic } from './remote-executor.js';
import type { SecureAggregationOptions } from './secure-round.js';
import type { TokenAuthority } from './token-authority.js';

/** Everything a federation is configured with. */
export interface FederationOptions {
  /** The federation's name: clients join at `/federations/<name>`. */
  readonly name: string;
  readonly task: TaskDefinition;
  readonly algorithm: AlgorithmPlugin;
  /** The model aggregator (the algorithm's default mean when undefined). */
  readonly modelAggregator?: AggregatorFactory;
  /** Mask updates on the clients; the server then sees only their sum (`--aggregator secure[:bound]`). */
  readonly secure?: SecureAggregationOptions;
  readonly clientOptimizer: OptimizerConfig;
  readonly serverLearningRate?: number;
  readonly rounds: number;
  /** Updates a round waits for (it closes once this many arrived). */
  readonly clientsPerRound: number;
  /** A round starts with at least this many connected clients, and is retried when fewer succeed. */
  readonly minClients: number;
  /** Select this fraction more clients than `clientsPerRound` (default 0.3). */
  readonly overSelection?: number;
  /** Clients still training this long after the round started fail, and the round goes on without them. */
  readonly roundDeadlineMs: number;
  /** With fewer than `clientsPerRound` connected, start anyway (with at least `minClients`) after this long (default 10 s). */
  readonly selectionWindowMs?: number;
  /** Seeds the initial model. */
  readonly seed: number;
  /** The held-out split for the server's centralized evaluation (none: no evaluation). */
  readonly testData?: LabeledArrays;
  readonly evalEvery?: number;
  /** The output directory: checkpoints/, metrics.jsonl, metrics.csv, report.html. */
  readonly out: string;
  /** Continue from the latest checkpoint in `<out>/checkpoints`. */
  readonly resume?: boolean;
  readonly checkpointEvery?: number;
  /** Let clients join without a token. */
  readonly allowAnonymous?: boolean;
  readonly limits: SessionLimits;
  /** Concurrent connections one token may hold (default 4). */
  readonly maxConnectionsPerClient?: number;
  /** Seconds a new connection has to say hello (default 10). */
  readonly helloTimeoutMs?: number;
  /** Called with every masked vector received (secure aggregation; audit logs and tests). */
  readonly onMaskedInput?: (session: string, words: Uint32Array) => void;
}

/** A federation event (also a line of metrics.jsonl). */
export type FederationEvent = { readonly kind: string; readonly [key: string]: unknown };

/** One connected client as the status page shows it. */
export interface ClientStatus {
  readonly session: string;
  readonly name: string;
  readonly runtime: string;
  readonly busy: boolean;
  readonly connectedForS: number;
}

/** What `GET /status` says about a federation. */
export interface FederationStatus {
  readonly name: string;
  readonly task: string;
  readonly algorithm: string;
  readonly state: 'waiting' | 'training' | 'finished' | 'failed';
  readonly round: number;
  readonly rounds: number;
  readonly clients: readonly ClientStatus[];
  readonly last?: RoundRecord;
}

/** The task description clients get in `welcome`, made from a simulator task. */
export function describeTask(task: TaskDefinition, seed: number): TaskDescription {
  if (typeof task.loss !== 'string') throw new ValueError(`Remote clients resolve the loss by registered name; the task "${task.name}" has a loss object. Give it a loss name such as 'sparse_categorical_crossentropy'.`);
  const k = task.createKerasModel(seed);
  try {
    const metrics = task.metrics.map((f) => {
      const m = f();
      for (const v of m.variables) v.dispose();
      return m.name;
    });
    const spec = (s: { shape: readonly (number | null)[]; dtype: string }): { shape: (number | null)[]; dtype: 'float32' | 'int32' | 'bool' } => ({ shape: [...s.shape], dtype: s.dtype as 'float32' | 'int32' | 'bool' });
    return {
      name: task.name,
      modelTopology: JSON.stringify(k.toJSON(null, false)),
      loss: task.loss,
      metrics,
      inputSpec: { x: spec(task.inputSpec.x), y: spec(task.inputSpec.y) },
      trainableShapes: k.trainableWeights.map((w) => [...w.shape] as number[]),
    };
  } finally {
    k.dispose();
  }
}

/**
 * One federation: its task, algorithm and aggregator, the clients connected
 * to it, and the rounds. `run()` drives the algorithm's `LearningProcess`
 * with a {@link RemoteExecutor}: each round it waits for clients, selects up
 * to `clientsPerRound × (1 + overSelection)` idle ones, and lets the process
 * run; it evaluates, logs (metrics.jsonl/csv, report.html, as the simulator
 * does) and checkpoints (the simulator's verified checkpoints, so a
 * restarted server resumes exactly from the last one).
 */
export class Federation {
  readonly description: TaskDescription;
  readonly sessions = new Map<string, ClientSession>();
  private readonly connectionsPerClient = new Map<string, number>();
  private state: FederationStatus['state'] = 'waiting';
  private round = 0;
  private log: MetricsLog;
  private stopped = false;
  private changed: (() => void) | undefined;
  /** Rounds' extra figures (rejections, bytes) by round. */
  readonly traffic: { round: number; traffic: RoundTraffic }[] = [];

  constructor(
    readonly options: FederationOptions,
    private readonly authority: TokenAuthority | undefined,
  ) {
    if (!options.allowAnonymous && authority === undefined) throw new ValueError(`Federation "${options.name}" needs a token secret (--secret or FEDKIT_SERVER_SECRET), or allowAnonymous.`);
    if (!(options.minClients >= 1 && options.minClients <= options.clientsPerRound)) throw new RangeError(`minClients must be in [1, clientsPerRound=${options.clientsPerRound}], found ${options.minClients}.`);
    this.description = describeTask(options.task, options.seed);
    this.log = new MetricsLog(options.out);
  }

  get name(): string {
    return this.options.name;
  }

  /** Takes a new WebSocket connection: it must say hello (with a valid token) before anything else. */
  attach(socket: WebSocket): void {
    const session = new ClientSession(socket, this.options.limits);
    const helloTimer = setTimeout(() => session.refuse('timeout', 'No hello within the time allowed.'), this.options.helloTimeoutMs ?? 10_000);
    session.helloHandler = (m: ClientMessage) => {
      clearTimeout(helloTimer);
      session.helloHandler = undefined;
      this.hello(session, m);
    };
    void session.closed.then(({ code, reason }) => {
      clearTimeout(helloTimer);
      if (!session.joined) return;
      this.sessions.delete(session.id);
      this.connectionsPerClient.set(session.client, (this.connectionsPerClient.get(session.client) ?? 1) - 1);
      this.event({ kind: 'client-left', session: session.id, code, reason });
      this.changed?.();
    });
  }

  private hello(session: ClientSession, m: ClientMessage): void {
    if (m.t !== 'hello') return session.refuse('protocol', `The first message must be "hello", found "${m.t}".`, 1002);
    if (m.v !== PROTOCOL_VERSION) return session.refuse('version', `This server speaks protocol version ${PROTOCOL_VERSION}, the client ${m.v}; upgrade the client.`);
    let client: string;
    if (m.token !== undefined && this.authority !== undefined) {
      const claims = this.authority.verify(m.token, this.name);
      if (claims === undefined) return session.refuse('auth', `The token is not valid for federation "${this.name}" (bad signature, expired, or issued for another federation); ask the operator for a new one.`);
      client = claims.client;
    } else if (this.options.allowAnonymous === true) {
      client = `anon-${randomUUID().slice(0, 8)}`;
    } else {
      return session.refuse('auth', `Federation "${this.name}" needs a token; ask the operator for one (fedkit-server token).`);
    }
    const open = this.connectionsPerClient.get(client) ?? 0;
    const cap = this.options.maxConnectionsPerClient ?? 4;
    if (open >= cap) return session.refuse('too-many-connections', `Client "${client}" already holds ${open} connections (the limit is ${cap}).`);
    this.connectionsPerClient.set(client, open + 1);
    session.join(client, m.name ?? client, m.runtime ?? '');
    this.sessions.set(session.id, session);
    session.send({ t: 'welcome', v: PROTOCOL_VERSION, session: session.id, federation: this.name, task: this.description, limits: { maxMessageBytes: this.options.limits.maxMessageBytes, chunkBytes: this.options.limits.chunkBytes } });
    if (this.state === 'finished') session.send({ t: 'done', round: this.round });
    this.event({ kind: 'client-joined', session: session.id, name: session.name, runtime: session.runtime });
    this.changed?.();
  }

  /** The federation as `GET /status` shows it. */
  status(): FederationStatus {
    const rounds = this.log.snapshot().rounds;
    const last = rounds[rounds.length - 1];
    return {
      name: this.name,
      task: this.options.task.name,
      algorithm: this.options.algorithm.name,
      state: this.state,
      round: this.round,
      rounds: this.options.rounds,
      clients: [...this.sessions.values()].map((s) => ({ session: s.id, name: s.name, runtime: s.runtime, busy: s.task !== undefined, connectedForS: Math.round((Date.now() - s.connectedAt) / 1000) })),
      ...(last === undefined ? {} : { last }),
    };
  }

  /** Stops after the current round (its checkpoint is written). */
  stop(): void {
    this.stopped = true;
    this.changed?.();
  }

  private event(e: FederationEvent): void {
    this.log.addEvent({ ...e, time: new Date().toISOString() });
  }

  private async waitForChange(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.changed = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.changed = undefined;
  }

  /** Waits until enough idle clients are connected; returns the selected session ids. */
  private async selectClients(): Promise<string[]> {
    const o = this.options;
    const wanted = Math.ceil(o.clientsPerRound * (1 + (o.overSelection ?? 0.3)));
    let since = Date.now();
    for (;;) {
      if (this.stopped) return [];
      const idle = [...this.sessions.values()].filter((s) => s.open && s.task === undefined);
      if (idle.length < o.minClients) since = Date.now();
      const windowOver = Date.now() - since >= (o.selectionWindowMs ?? 10_000);
      if (idle.length >= o.clientsPerRound || (idle.length >= o.minClients && windowOver)) {
        // Uniform choice among idle clients, from the CSPRNG (selection should not be predictable by clients).
        const ids = idle.map((s) => s.id);
        for (let i = ids.length - 1; i > 0; i--) {
          const j = crypto.getRandomValues(new Uint32Array(1))[0]! % (i + 1);
          [ids[i], ids[j]] = [ids[j]!, ids[i]!];
        }
        return ids.slice(0, wanted);
      }
      await this.waitForChange(idle.length >= o.minClients ? Math.max(50, (o.selectionWindowMs ?? 10_000) - (Date.now() - since)) : 1000);
    }
  }

  /**
   * Runs the federation's rounds (resuming from the latest checkpoint when
   * `resume`), then tells every client it is done. Resolves with the rounds completed.
   */
  async run(): Promise<{ roundsCompleted: number; stopped: boolean }> {
    const o = this.options;
    const models = taskModelFactory(o.task, o.seed);
    const executor = new RemoteExecutor({
      sessions: this.sessions,
      task: this.description,
      targetClients: o.clientsPerRound,
      deadlineMs: o.roundDeadlineMs,
      ...(o.secure === undefined ? {} : { secure: o.secure }),
      ...(o.onMaskedInput === undefined ? {} : { onMaskedInput: o.onMaskedInput }),
    });
    const process = o.algorithm.build({
      modelFn: models.modelFn,
      clientOptimizer: o.clientOptimizer,
      executor,
      minClients: o.minClients,
      ...(o.serverLearningRate === undefined ? {} : { serverLearningRate: o.serverLearningRate }),
      ...(o.modelAggregator === undefined ? {} : { modelAggregator: o.modelAggregator }),
    }) as LearningProcess<CheckpointableState>;
    let state = process.initialize();
    const checkpoints = join(o.out, 'checkpoints');
    let runId: string = randomUUID();
    await mkdir(o.out, { recursive: true });
    if (o.resume === true) {
      const cp = await loadLatestCheckpoint<CheckpointableState>(checkpoints);
      if (cp !== undefined) {
        state = process.setModelWeights(cp.state, cp.state.globalModelWeights);
        runId = cp.manifest.runId;
        const history = cp.extra['history'] as { events: unknown[]; rounds: RoundRecord[] } | undefined;
        this.log = new MetricsLog(o.out, history ?? {});
        this.event({ kind: 'resumed', from: cp.path, round: state.round });
      }
    }
    let evaluation: FederatedEvaluation | undefined;
    try {
      this.round = state.round;
      while (state.round < o.rounds && !this.stopped) {
        const round = state.round + 1;
        const selected = await this.selectClients();
        if (this.stopped) break;
        this.state = 'training';
        this.round = round;
        this.event({ kind: 'round-started', round, selected });
        // Written at once, so that whoever watches metrics.jsonl sees a round begin.
        await this.log.flush();
        const data = selected.map((session) => ({ kind: 'remote-session', session }) satisfies RemoteSessionRef as unknown as ClientDataset);
        const start = performance.now();
        let out;
        try {
          out = await process.next(state, data, {
            round,
            clientIds: selected,
            onClientFinished: (r) => this.event({ kind: 'client-finished', round, session: selected[r.clientIndex], ok: r.ok, numExamples: r.numExamples, ms: Math.round(r.ms), ...(r.error === undefined ? {} : { error: r.error }) }),
          });
        } catch (e) {
          // Too few clients succeeded: the state is unchanged, so the round is simply tried again.
          this.event({ kind: 'round-failed', round, error: e instanceof Error ? e.message : String(e), ...summarize(executor.traffic) });
          this.traffic.push({ round, traffic: executor.traffic });
          await this.log.flush();
          await this.waitForChange(1000);
          continue;
        }
        state = out.state;
        const durationMs = performance.now() - start;
        const ok = out.clientReports.filter((r) => r.ok);
        const numExamples = ok.reduce((s, r) => s + r.numExamples, 0);
        const train = out.metrics.client_work.train;
        this.traffic.push({ round, traffic: executor.traffic });
        this.event({ kind: 'round-finished', round, train, clients: ok.length, failures: out.metrics.failures, durationMs, ...summarize(executor.traffic) });
        this.log.addRound({ round, train, durationMs, examplesPerSecond: durationMs > 0 ? (numExamples * 1000) / durationMs : 0, clients: ok.length, failures: out.clientReports.length - ok.length });
        let evalMetrics: FinalizedMetrics | undefined;
        const every = o.evalEvery ?? 1;
        if (o.testData !== undefined && every > 0 && (round % every === 0 || round === o.rounds)) {
          evaluation ??= buildFederatedEvaluation(models.modelFn);
          evalMetrics = (await evaluation.evaluate(process.getModelWeights(state), [arrayBatches(o.testData, 500)])).metrics;
          this.log.setEval(round, evalMetrics);
          this.event({ kind: 'evaluated', round, centralized: evalMetrics });
        }
        if (round % (o.checkpointEvery ?? 1) === 0 || round === o.rounds) {
          const path = await saveCheckpoint(checkpoints, state, { history: this.log.snapshot() }, { keep: 2, runId, modelTopology: JSON.parse(this.description.modelTopology) as unknown });
          this.event({ kind: 'checkpoint-saved', round, path });
        }
        await this.flush();
        for (const s of this.sessions.values()) s.send({ t: 'status', round, rounds: o.rounds, clients: ok.length, train, ...(evalMetrics === undefined ? {} : { eval: evalMetrics }) });
      }
      this.state = this.stopped ? 'waiting' : 'finished';
      if (!this.stopped) {
        this.event({ kind: 'run-finished', roundsCompleted: state.round });
        for (const s of this.sessions.values()) s.send({ t: 'done', round: state.round });
      }
      await this.flush();
      return { roundsCompleted: state.round, stopped: this.stopped };
    } catch (e) {
      this.state = 'failed';
      this.event({ kind: 'run-failed', error: e instanceof Error ? e.message : String(e) });
      await this.flush();
      throw e;
    } finally {
      models.dispose();
    }
  }

  private async flush(): Promise<void> {
    await this.log.flush();
    const o = this.options;
    await writeFile(
      join(o.out, 'report.html'),
      buildReportHtml({ title: `${o.name}: ${o.task.name}`, summary: { federation: o.name, task: o.task.name, algorithm: o.algorithm.name, 'clients per round': o.clientsPerRound, 'round deadline (ms)': o.roundDeadlineMs }, rounds: this.log.snapshot().rounds }),
    );
  }
}

function summarize(t: RoundTraffic): Record<string, number> {
  return {
    rejected_non_finite: t.rejected.non_finite,
    rejected_shape: t.rejected.shape,
    rejected_too_large: t.rejected.too_large,
    rejected_malformed: t.rejected.malformed,
    bytes_in: t.bytesIn,
    bytes_out: t.bytesOut,
    sent: t.sent,
    not_needed: t.notNeeded,
    timed_out: t.timedOut,
    ...(t.secure === undefined ? {} : { secure_step: t.secure.step, secure_survivors: t.secure.survivors, secure_dropped: t.secure.dropped }),
  };
}
