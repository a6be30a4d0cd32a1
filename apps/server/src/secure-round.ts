/**
 * The server's side of secure aggregation across real clients (Bonawitz et
 * al. 2017, "Practical Secure Aggregation for Privacy-Preserving Machine
 * Learning", CCS; the client side and the simplifications are described in
 * @fedkit/client's secure-masking.ts). The server relays public keys and
 * encrypted shares, collects masked vectors, and removes the masks with what
 * the survivors reveal: the self-mask seeds of survivors (Shamir, threshold t)
 * and the pairwise seeds of members that dropped after sharing. It never
 * holds an unmasked update: only masked vectors and their sum.
 */
import { randomUUID } from 'node:crypto';

import { reconstructSecret } from '@fedkit/aggregators';
import { addMask, maskWords, seedFromWords, SEED_WORDS, uint32FromBytes, type ClientMessage, type ServerMessage, type TaskDescription } from '@fedkit/client';
import type { ClientTask, ClientTaskOutcome, UnfinalizedMetrics } from '@fedkit/core';

import type { ClientSession, InvalidFrame } from './client-session.js';
import type { RoundTraffic } from './remote-executor.js';

/** Options of secure aggregation across clients. */
export interface SecureAggregationOptions {
  /** Update values are clipped to [−bound, bound]. */
  readonly bound: number;
  /** Quantization bits (default 16). */
  readonly bits?: number;
  /** Shamir threshold for a group of n (default ⌊n/2⌋ + 1). */
  readonly threshold?: (n: number) => number;
  /** How long each key/share/unmask step may take (default 30 s); training has the round deadline. */
  readonly stepTimeoutMs?: number;
}

interface Member {
  readonly task: ClientTask;
  readonly session: ClientSession;
  readonly index: number;
  gone: boolean;
  error?: string;
  keys?: Extract<ClientMessage, { t: 'sa-keys' }>;
  shares?: Extract<ClientMessage, { t: 'sa-shares' }>;
  masked?: Extract<ClientMessage, { t: 'sa-masked' }>;
  words?: Uint32Array;
  unmask?: Extract<ClientMessage, { t: 'sa-unmask' }>;
}

type Step = 'keys' | 'shares' | 'masked' | 'unmask';

/**
 * Runs one round of secure aggregation over the bound tasks' sessions and
 * returns one outcome per task: the first survivor carries the weighted mean
 * of the survivors' updates (with their total weight), the other survivors
 * carry zeros with weight 0 (so a weighted-mean aggregator gives exactly that
 * mean), and everyone else failed.
 */
export async function runSecureRound(
  bound: readonly { task: ClientTask; session: ClientSession | undefined }[],
  messageFor: (task: ClientTask, id: string, secure: NonNullable<Extract<ServerMessage, { t: 'train' }>['secure']>) => Extract<ServerMessage, { t: 'train' }>,
  options: SecureAggregationOptions,
  description: TaskDescription,
  traffic: RoundTraffic,
  deadlineMs: number,
  onMaskedInput?: (session: string, words: Uint32Array) => void,
): Promise<ClientTaskOutcome[]> {
  const start = performance.now();
  const id = randomUUID();
  const round = bound[0]?.task.round ?? 0;
  const members: Member[] = [];
  const outcomes: ClientTaskOutcome[] = [];
  const fail = (task: ClientTask, who: string, error: string): ClientTaskOutcome => ({ clientIndex: task.clientIndex, ok: false, error: `client ${who}: ${error}`, numExamples: 0, numBatches: 0, ms: performance.now() - start });
  for (const { task, session } of bound) {
    if (session === undefined) outcomes.push(fail(task, String(task.clientId ?? task.clientIndex), 'not connected when the round started'));
    else members.push({ task, session, index: members.length, gone: false });
  }
  const n = members.length;
  const bits = options.bits ?? 16;
  const t = (options.threshold ?? ((k: number) => Math.floor(k / 2) + 1))(n);
  const levels = 2 ** bits - 1;
  const step = (2 * options.bound) / levels;
  const size = description.trainableShapes.reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0);
  const group = members.map((m) => m.session.id);
  const stepTimeout = options.stepTimeoutMs ?? 30_000;
  let wake: (() => void) | undefined;
  const notify = (): void => wake?.();
  for (const m of members) {
    const inAtStart = m.session.bytesIn;
    m.session.task = id;
    m.session.taskHandler = (msg: ClientMessage | InvalidFrame) => {
      if (msg.t === 'invalid') {
        traffic.rejected[msg.code === 'too-large' ? 'too_large' : 'malformed'] += 1;
        m.error ??= `update rejected: ${msg.message}`;
      } else if ('task' in msg && msg.task === id) {
        if (msg.t === 'failed') m.error ??= msg.error;
        else if (msg.t === 'sa-keys') m.keys ??= msg;
        else if (msg.t === 'sa-shares') m.shares ??= msg;
        else if (msg.t === 'sa-masked' && m.masked === undefined) {
          const words = msg.masked.length === 1 && msg.masked[0]!.byteLength === (size + 1) * 4 ? uint32FromBytes(msg.masked[0]!) : undefined;
          if (words === undefined) {
            traffic.rejected.shape += 1;
            m.error ??= `update rejected (shape): a masked update must be one array of ${size + 1} uint32 words`;
          } else {
            m.masked = msg;
            m.words = words;
            onMaskedInput?.(m.session.id, words);
          }
        } else if (msg.t === 'sa-unmask') m.unmask ??= msg;
      }
      notify();
    };
    void m.session.closed.then(() => {
      m.gone = true;
      traffic.bytesIn += m.session.bytesIn - inAtStart;
      notify();
    });
  }
  const alive = (m: Member): boolean => !m.gone && m.error === undefined;
  /** Waits until every live member in `among` has sent `what`, or the timeout. */
  const waitFor = async (among: Member[], what: Step, ms: number): Promise<Member[]> => {
    const until = Date.now() + ms;
    for (;;) {
      const waiting = among.filter((m) => alive(m) && m[what] === undefined);
      if (waiting.length === 0 || Date.now() >= until) return among.filter((m) => alive(m) && m[what] !== undefined);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, until - Date.now()));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  const finishAll = (error?: string): ClientTaskOutcome[] => {
    for (const m of members) {
      m.session.task = undefined;
      m.session.taskHandler = undefined;
    }
    return error === undefined ? outcomes : [...outcomes, ...members.map((m) => fail(m.task, m.session.id, m.error ?? error))];
  };
  const tooFew = (stepName: string, k: number): string => `secure aggregation: only ${k} of ${n} clients completed the ${stepName} step, fewer than the threshold ${t}; the round's updates cannot be unmasked`;

  if (n < 2 || t < 2 || t > n) return finishAll(`secure aggregation needs at least 2 clients and a threshold in [2, ${n}]; found ${n} clients and threshold ${t}`);
  const secure = { group, threshold: t, bound: options.bound, bits };
  for (const m of members) {
    traffic.sent += 1;
    traffic.bytesOut += m.session.send(messageFor(m.task, id, secure));
  }
  const u1 = await waitFor(members, 'keys', deadlineMs);
  if (u1.length < t) return finishAll(tooFew('training and key', u1.length));
  const keys = Object.fromEntries(u1.map((m) => [m.session.id, { maskKey: m.keys!.maskKey, shareKey: m.keys!.shareKey }]));
  for (const m of u1) traffic.bytesOut += m.session.send({ t: 'sa-roster', round, task: id, keys });
  const u2 = await waitFor(u1, 'shares', stepTimeout);
  if (u2.length < t) return finishAll(tooFew('share', u2.length));
  for (const v of u2) {
    const shares: Record<string, Uint8Array> = {};
    for (const u of u2) {
      const s = u.shares!.shares[v.session.id];
      if (u !== v && s !== undefined) shares[u.session.id] = s;
    }
    traffic.bytesOut += v.session.send({ t: 'sa-shares-for-you', round, task: id, shares });
  }
  const u3 = await waitFor(u2, 'masked', stepTimeout);
  if (u3.length < t) return finishAll(tooFew('masked input', u3.length));
  const dropped = u2.filter((m) => !u3.includes(m));
  for (const m of u3) traffic.bytesOut += m.session.send({ t: 'sa-unmask-request', round, task: id, survivors: u3.map((s) => s.session.id), dropped: dropped.map((d) => d.session.id) });
  const u4 = await waitFor(u3, 'unmask', stepTimeout);
  if (u4.length < t) return finishAll(tooFew('unmasking', u4.length));
  if (dropped.length > 0 && u4.length < u3.length) {
    return finishAll('secure aggregation: a survivor left during unmasking while another member had dropped; its pairwise masks cannot be removed (a simplification of Bonawitz et al.)');
  }

  // Σ masked, then remove each survivor's self-mask and every survivor–dropped pairwise mask.
  const sum = new Uint32Array(size + 1);
  for (const m of u3) addMask(sum, m.words!, 1);
  for (const v of u3) {
    const held = u4.flatMap((r) => (r.unmask!.selfShares[v.session.id] === undefined ? [] : [{ x: r.index + 1, words: uint32FromBytes(r.unmask!.selfShares[v.session.id]!) }]));
    if (held.length < t) return finishAll(`secure aggregation: only ${held.length} shares of ${v.session.id}'s self-mask came back, fewer than the threshold ${t}`);
    const words = Array.from({ length: SEED_WORDS }, (_, j) => reconstructSecret(held.slice(0, t).map((h) => ({ x: h.x, y: BigInt(h.words[j]!) })), t));
    addMask(sum, await maskWords(seedFromWords(words), size + 1), -1);
  }
  for (const d of dropped) {
    for (const v of u3) {
      const seed = v.unmask!.pairSeeds[d.session.id];
      if (seed === undefined) return finishAll(`secure aggregation: survivor ${v.session.id} did not reveal its pairwise seed with dropped ${d.session.id}`);
      // v added +mask when it precedes d in the group, −mask otherwise: undo that.
      addMask(sum, await maskWords(seed, size + 1), v.index < d.index ? -1 : 1);
    }
  }
  const weight = sum[size]!;
  const mean: Float32Array[] = [];
  let at = 0;
  for (const shape of description.trainableShapes) {
    const len = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(len);
    // Each word is Σ w·level; Σ w·x = step·Σ w·level − bound·Σ w.
    if (weight > 0) for (let k = 0; k < len; k++) a[k] = (step * sum[at + k]! - options.bound * weight) / weight;
    mean.push(a);
    at += len;
  }
  traffic.secure = { step, survivors: u3.length, dropped: dropped.length };
  const survivors = new Set(u3);
  for (const [i, m] of u3.entries()) {
    outcomes.push({
      clientIndex: m.task.clientIndex,
      ok: true,
      ms: performance.now() - start,
      result: {
        update: i === 0 ? mean : mean.map((a) => new Float32Array(a.length)),
        updateWeight: i === 0 ? weight : 0,
        updateNonFinite: false,
        numExamples: m.masked!.numExamples,
        numBatches: m.masked!.numBatches,
        metrics: m.masked!.metrics as unknown as UnfinalizedMetrics,
      },
    });
  }
  for (const m of members) if (!survivors.has(m)) m.error ??= m.gone ? 'disconnected during secure aggregation' : 'did not complete secure aggregation in time';
  return finishAll().concat(members.filter((m) => !survivors.has(m)).map((m) => fail(m.task, m.session.id, m.error!)));
}
