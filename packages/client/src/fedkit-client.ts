import type { Batch, ClientDataset, ClientEnvironment, ClientTask, ModelWeightArrays, OptimizerConfig } from '@fedkit/core';
import { runClientTask } from '@fedkit/learning';

import { buildClientModel, type ClientModel } from './build-client-model.js';
import { encodeFrames, float32Bytes, float32FromBytes, FrameDecoder, ProtocolError } from './frame-codec.js';
import { PROTOCOL_VERSION, serverMessageSchema, type ClientMessage, type ProtocolLimits, type ServerMessage, type TaskDescription } from './protocol-messages.js';
import { maskedUpdate, type SecureRoundState, unmaskReply, handleRoster, handleShares } from './secure-masking.js';

/** The part of the WebSocket API the client uses (the browser's, or the `ws` package's in Node). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket constructor (browser `WebSocket`, or `ws` in Node). */
export type WebSocketFactory = new (url: string) => WebSocketLike;

/** What a {@link FedkitClient} reports as it goes (drive a progress bar from these). */
export type ClientEvent =
  | { readonly kind: 'connecting'; readonly url: string; readonly attempt: number }
  | { readonly kind: 'joined'; readonly session: string; readonly federation: string; readonly task: string }
  | { readonly kind: 'task'; readonly round: number }
  | { readonly kind: 'progress'; readonly round: number; readonly batches: number }
  | { readonly kind: 'update-sent'; readonly round: number; readonly numExamples: number; readonly bytes: number; readonly ms: number; readonly loss?: number }
  | { readonly kind: 'task-failed'; readonly round: number; readonly error: string }
  | { readonly kind: 'rejected'; readonly round: number; readonly reason: string }
  | { readonly kind: 'status'; readonly round: number; readonly rounds: number; readonly clients: number; readonly train?: Readonly<Record<string, number>>; readonly eval?: Readonly<Record<string, number>> }
  | { readonly kind: 'disconnected'; readonly code: number; readonly reason: string; readonly retryInMs?: number }
  | { readonly kind: 'done'; readonly round: number };

/** Options of {@link FedkitClient}. */
export interface FedkitClientOptions {
  /** The federation's WebSocket URL, e.g. `wss://fl.example.org/federations/mnist` (`ws://` on loopback). */
  readonly url: string;
  /** The token the server issued to this client; omit where the federation allows anonymous clients. */
  readonly token?: string;
  /** Shown in the server's status page. */
  readonly name?: string;
  /** This client's local data for a round: a dataset re-iterated each round, or a function returning a fresh one. */
  readonly data: ClientDataset | ((round: number) => ClientDataset);
  /** Called with every {@link ClientEvent}. */
  readonly onEvent?: (event: ClientEvent) => void;
  /** Reconnect backoff: first wait, cap and factor (default 250 ms, 10 s, 2); jittered ±20%. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number; readonly factor?: number };
  /** Give up after this many failed connection attempts in a row (default Infinity). */
  readonly maxAttempts?: number;
  /** The runtime name reported to the server (e.g. `wasm`, `webgl`). */
  readonly runtime?: string;
}

/** A refusal the client must not retry (bad token, wrong protocol version). */
export class ClientRefusedError extends Error {
  override readonly name = 'ClientRefusedError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const CLIENT_LIMITS: ProtocolLimits = { maxMessageBytes: 256 * 1024 * 1024, chunkBytes: 1024 * 1024 };
/** Close codes the server uses for refusals that retrying cannot fix. */
const FINAL_CODES = new Set(['auth', 'version', 'forbidden']);

/**
 * A federation client: connects to a fedkit server, authenticates with its
 * token, builds the task's model, and for every task it receives runs the
 * one client code path (`runClientTask` from @fedkit/learning, as the
 * simulator's executors do) on its local data and sends the update back as
 * raw float32. It reconnects with jittered exponential backoff when the
 * connection drops, and `run()` resolves when the server says the run is done.
 * The same class runs in Node (`ws`) and in browsers (the page's WebSocket).
 *
 * @example
 * ```ts
 * const client = new FedkitClient(WebSocket, { url: 'ws://127.0.0.1:8080/federations/mnist', token, data: myDataset,
 *   onEvent: (e) => console.log(e) });
 * await client.run();
 * ```
 */
export class FedkitClient {
  private socket: WebSocketLike | undefined;
  private built: { topology: string; model: ClientModel } | undefined;
  private task: TaskDescription | undefined;
  private limits: ProtocolLimits = CLIENT_LIMITS;
  private current: { id: string; round: number; abort: AbortController; secure?: SecureRoundState } | undefined;
  private stopped = false;
  private session: string | undefined;

  constructor(
    private readonly WebSocketImpl: WebSocketFactory,
    private readonly options: FedkitClientOptions,
  ) {}

  /** The session id the server gave this client (after it joined). */
  get sessionId(): string | undefined {
    return this.session;
  }

  /**
   * Connects and serves tasks until the server sends `done` (resolves) or
   * refuses the client (rejects with {@link ClientRefusedError}), or `close()` is called (resolves).
   */
  async run(): Promise<void> {
    const b = this.options.backoff ?? {};
    const initial = b.initialMs ?? 250;
    let wait = initial;
    let failures = 0;
    for (let attempt = 1; !this.stopped; attempt++) {
      this.emit({ kind: 'connecting', url: this.options.url, attempt });
      const outcome = await this.connectOnce();
      if (outcome.kind === 'done' || this.stopped) return;
      if (outcome.kind === 'refused') throw new ClientRefusedError(outcome.code, outcome.message);
      failures = outcome.joined ? 1 : failures + 1;
      if (outcome.joined) wait = initial;
      if (failures >= (this.options.maxAttempts ?? Infinity)) throw new Error(`Gave up after ${failures} failed connection attempts to ${this.options.url}.`);
      const delay = Math.round(wait * (0.8 + 0.4 * Math.random()));
      this.emit({ kind: 'disconnected', code: outcome.code, reason: outcome.reason, retryInMs: delay });
      await new Promise((r) => setTimeout(r, delay));
      wait = Math.min(b.maxMs ?? 10_000, wait * (b.factor ?? 2));
    }
  }

  /** Closes the connection and stops reconnecting; a running task is aborted. */
  close(): void {
    this.stopped = true;
    this.current?.abort.abort(new DOMException('The client was closed.', 'AbortError'));
    this.socket?.close(1000, 'client closed');
  }

  /** Frees the model (after `run` settled). */
  dispose(): void {
    this.built?.model.dispose();
    this.built = undefined;
  }

  private emit(e: ClientEvent): void {
    this.options.onEvent?.(e);
  }

  private connectOnce(): Promise<
    { kind: 'done' } | { kind: 'refused'; code: string; message: string } | { kind: 'lost'; joined: boolean; code: number; reason: string }
  > {
    return new Promise((resolve) => {
      let joined = false;
      let settled: { kind: 'done' } | { kind: 'refused'; code: string; message: string } | undefined;
      const socket = new this.WebSocketImpl(this.options.url);
      this.socket = socket;
      socket.binaryType = 'arraybuffer';
      const decoder = new FrameDecoder(serverMessageSchema, CLIENT_LIMITS.maxMessageBytes);
      // Messages are handled one at a time, in order: a task's steps must not interleave.
      let queue: Promise<void> = Promise.resolve();
      socket.onopen = () => {
        this.send({ t: 'hello', v: PROTOCOL_VERSION, ...(this.options.token === undefined ? {} : { token: this.options.token }), ...(this.options.name === undefined ? {} : { name: this.options.name }), ...(this.options.runtime === undefined ? {} : { runtime: this.options.runtime }) });
      };
      socket.onmessage = (ev) => {
        const data = ev.data instanceof ArrayBuffer ? new Uint8Array(ev.data) : ev.data instanceof Uint8Array ? ev.data : undefined;
        if (data === undefined) return;
        let message: ServerMessage | undefined;
        try {
          message = decoder.push(data);
        } catch (e) {
          socket.close(1002, e instanceof ProtocolError ? e.code : 'malformed');
          return;
        }
        if (message === undefined) return;
        const m = message;
        queue = queue.then(async () => {
          if (m.t === 'welcome') joined = true;
          if (m.t === 'error' && FINAL_CODES.has(m.code)) settled = { kind: 'refused', code: m.code, message: m.message };
          if (m.t === 'done') settled = { kind: 'done' };
          await this.handle(m);
        }).catch((e: unknown) => {
          socket.close(1011, e instanceof Error ? e.message.slice(0, 120) : 'client error');
        });
      };
      socket.onerror = () => undefined;
      socket.onclose = (ev) => {
        this.current?.abort.abort(new DOMException('The connection closed.', 'AbortError'));
        this.current = undefined;
        void queue.then(() => resolve(settled ?? { kind: 'lost', joined, code: ev.code, reason: ev.reason }));
      };
    });
  }

  private send(message: ClientMessage): number {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== 1) return 0;
    let bytes = 0;
    for (const frame of encodeFrames(message, this.limits.chunkBytes)) {
      socket.send(frame);
      bytes += frame.byteLength;
    }
    return bytes;
  }

  private async handle(m: ServerMessage): Promise<void> {
    switch (m.t) {
      case 'welcome': {
        this.session = m.session;
        this.limits = m.limits;
        this.task = m.task;
        if (this.built?.topology !== m.task.modelTopology) {
          this.built?.model.dispose();
          this.built = { topology: m.task.modelTopology, model: await buildClientModel(m.task) };
        }
        this.emit({ kind: 'joined', session: m.session, federation: m.federation, task: m.task.name });
        return;
      }
      case 'train':
        return this.train(m);
      case 'sa-roster':
        if (this.current?.id === m.task && this.current.secure !== undefined) this.send(await handleRoster(this.current.secure, m));
        return;
      case 'sa-shares-for-you':
        if (this.current?.id === m.task && this.current.secure !== undefined) this.send(await handleShares(this.current.secure, m));
        return;
      case 'sa-unmask-request':
        if (this.current?.id === m.task && this.current.secure !== undefined) {
          this.send(unmaskReply(this.current.secure, m));
          this.current = undefined;
        }
        return;
      case 'cancel':
        if (this.current?.id === m.task) this.current.abort.abort(new DOMException(m.reason, 'AbortError'));
        return;
      case 'rejected':
        this.emit({ kind: 'rejected', round: m.round, reason: m.reason });
        return;
      case 'status':
        this.emit({ kind: 'status', round: m.round, rounds: m.rounds, clients: m.clients, ...(m.train === undefined ? {} : { train: m.train }), ...(m.eval === undefined ? {} : { eval: m.eval }) });
        return;
      case 'done':
        this.emit({ kind: 'done', round: m.round });
        this.stopped = true;
        this.socket?.close(1000, 'done');
        return;
      case 'error':
        this.socket?.close(1000, m.code);
        return;
    }
  }

  private async train(m: Extract<ServerMessage, { t: 'train' }>): Promise<void> {
    const task = this.task;
    const built = this.built;
    if (task === undefined || built === undefined) throw new ProtocolError('A task arrived before the welcome message.', 'schema');
    const abort = new AbortController();
    const state: { id: string; round: number; abort: AbortController; secure?: SecureRoundState } = { id: m.task, round: m.round, abort };
    this.current = state;
    this.emit({ kind: 'task', round: m.round });
    const start = performance.now();
    const weights: ModelWeightArrays = {
      trainable: m.weights.slice(0, task.trainableShapes.length).map(float32FromBytes),
      nonTrainable: m.weights.slice(task.trainableShapes.length).map(float32FromBytes),
      trainableShapes: task.trainableShapes,
      nonTrainableShapes: [],
    };
    const nonTrainableShapes = built.model.model.nonTrainableVariables.map((v) => [...v.shape]);
    const clientTask: ClientTask = {
      clientIndex: 0,
      clientId: this.session ?? 'remote',
      round: m.round,
      weights: { ...weights, nonTrainableShapes },
      update: m.update,
      ...(m.optimizer === undefined ? {} : { optimizer: m.optimizer as unknown as OptimizerConfig }),
      data: this.countBatches(m.round, m.task),
      ...(m.inputs === undefined ? {} : { inputs: Object.fromEntries(Object.entries(m.inputs).map(([k, v]) => [k, v.map(float32FromBytes)])) }),
    };
    const environment: ClientEnvironment = {
      model: built.model.model,
      resolveData: () => {
        throw new TypeError('A remote client trains on its own data; the server never sends data references.');
      },
    };
    const outcome = await runClientTask(clientTask, environment, { signal: abort.signal, ...(m.deadlineMs > 0 ? { timeoutMs: m.deadlineMs } : {}) }).catch((e: unknown) => {
      if (abort.signal.aborted) return undefined;
      throw e;
    });
    if (outcome === undefined || this.current !== state) return;
    if (!outcome.ok) {
      this.current = undefined;
      this.send({ t: 'failed', round: m.round, task: m.task, error: outcome.error });
      this.emit({ kind: 'task-failed', round: m.round, error: outcome.error });
      return;
    }
    const r = outcome.result;
    const metrics = Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)]));
    if (m.secure !== undefined) {
      state.secure = await maskedUpdate(m, r, this.session ?? '', metrics);
      const bytes = this.send(state.secure.keysMessage);
      this.emit({ kind: 'update-sent', round: m.round, numExamples: r.numExamples, bytes, ms: performance.now() - start });
      return;
    }
    this.current = undefined;
    const bytes = this.send({
      t: 'result',
      round: m.round,
      task: m.task,
      update: r.update.map(float32Bytes),
      numExamples: r.numExamples,
      numBatches: r.numBatches,
      updateNonFinite: r.updateNonFinite,
      metrics,
      ...(r.extra === undefined ? {} : { extra: { ...r.extra } }),
      ...(r.outputs === undefined ? {} : { outputs: Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.map(float32Bytes)])) }),
    });
    const loss = lossOf(metrics);
    this.emit({ kind: 'update-sent', round: m.round, numExamples: r.numExamples, bytes, ms: performance.now() - start, ...(loss === undefined ? {} : { loss }) });
  }

  /** The round's dataset, reporting each batch as a `progress` event. */
  private countBatches(round: number, taskId: string): ClientDataset {
    const source = typeof this.options.data === 'function' ? this.options.data(round) : this.options.data;
    const s = source as unknown as Record<PropertyKey, unknown>;
    if (typeof s[Symbol.asyncIterator] !== 'function' && typeof s[Symbol.iterator] !== 'function') return source;
    const self = this;
    return {
      async *[Symbol.asyncIterator](): AsyncGenerator<Batch> {
        let batches = 0;
        for await (const batch of source as AsyncIterable<Batch> | Iterable<Batch>) {
          yield batch;
          batches += 1;
          self.emit({ kind: 'progress', round, batches });
          if (batches % 10 === 0) self.send({ t: 'progress', round, task: taskId, batches });
        }
      },
    };
  }
}

/** The mean loss of a client's pass, when its metrics carry a `loss` [sum, count]. */
function lossOf(metrics: Record<string, number[]>): number | undefined {
  const l = metrics['loss'];
  return l !== undefined && l.length === 2 && l[1]! > 0 ? l[0]! / l[1]! : undefined;
}
