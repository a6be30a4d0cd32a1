/**
 * The client's side of secure aggregation across real clients, after
 * Bonawitz et al. 2017, "Practical Secure Aggregation for Privacy-Preserving
 * Machine Learning" (CCS), the semi-honest variant:
 *
 * 1. keys: the client makes two ECDH key pairs (mask, share) and sends the public keys;
 * 2. shares: given the group's keys, it draws a self-mask seed b (8 field elements of
 *    GF(2^31 − 1), from the CSPRNG), Shamir-shares it (threshold t) and sends each share
 *    AES-GCM-encrypted under a key agreed with its holder, so the server relays what it cannot read;
 * 3. masked input: with the members whose shares arrived (U2) it adds PRG(b) and, per member v,
 *    ±PRG(s_uv) (s_uv from ECDH on the mask keys; + when u precedes v in the group) to its
 *    quantized weighted update, and sends only that;
 * 4. unmask: for each member that sent no masked input it reveals s_uv, for each that did its
 *    share of b_v — never both for one member, so a late masked input cannot be unmasked.
 *
 * Simplified against the paper: no signatures or PKI (semi-honest server), the server is told
 * dropouts rather than proving them, pairwise seeds s_uv are revealed directly instead of
 * Shamir shares of the dropped member's mask key, and metrics travel in clear.
 */
import { shareSecret, SHAMIR_PRIME, secureRandomUint32 } from '@fedkit/aggregators';
import type { ClientUpdateResult } from '@fedkit/core';

import { float32Bytes } from './frame-codec.js';
import type { ClientMessage, ServerMessage } from './protocol-messages.js';
import { addMask, agreeSecret, generateKeyPair, maskWords, open, seal, seedFromWords } from './secure-crypto.js';

/** How many field elements make one self-mask seed (8 × 31 bits). */
export const SEED_WORDS = 8;

/** One client's secure-aggregation state for a round. */
export interface SecureRoundState {
  readonly round: number;
  readonly task: string;
  readonly me: string;
  readonly group: readonly string[];
  readonly threshold: number;
  /** The quantized weighted update (with the weight as its last word); freed once masked. */
  quantized: Uint32Array | undefined;
  readonly numExamples: number;
  readonly numBatches: number;
  readonly metrics: Record<string, number[]>;
  readonly keysMessage: Extract<ClientMessage, { t: 'sa-keys' }>;
  readonly maskKey: CryptoKey;
  readonly shareKey: CryptoKey;
  pairSecrets: Map<string, Uint8Array>;
  shareKeys: Map<string, Uint8Array>;
  /** Shares of other members' self-mask seeds, by owner (8 uint32 words each). */
  heldShares: Map<string, Uint8Array>;
  /** Members whose shares reached this client (U2). */
  shared: Set<string>;
  revealed: boolean;
  /** This client's self-mask seed b (drawn in step 2). */
  selfSeed?: Uint8Array;
}

/**
 * The quantized vector a client masks: each update value clipped to
 * [−bound, bound], mapped to an integer level in [0, 2^bits − 1], times the
 * client's weight; then the weight itself. The server's dequantized sum is
 * Σ w·x within w·step/2 per value (step = 2·bound / (2^bits − 1)).
 * @throws RangeError when the group's weighted levels could overflow 2^32.
 */
export function quantizeWeighted(update: readonly Float32Array[], weight: number, bound: number, bits: number, groupSize: number): Uint32Array {
  const levels = 2 ** bits - 1;
  if (!Number.isInteger(weight) || weight < 0) throw new RangeError(`A secure update's weight must be an integer >= 0, found ${weight}.`);
  if ((weight + 1) * levels * groupSize >= 2 ** 32) {
    throw new RangeError(`${groupSize} clients × weight ${weight} × 2^${bits} levels overflow the 2^32 field; lower the federation's secure bits or the examples per client.`);
  }
  const step = (2 * bound) / levels;
  const size = update.reduce((s, a) => s + a.length, 0);
  const out = new Uint32Array(size + 1);
  let at = 0;
  for (const a of update) for (let k = 0; k < a.length; k++) out[at++] = weight * Math.round((Math.min(bound, Math.max(-bound, a[k]!)) + bound) / step);
  out[size] = weight;
  return out;
}

/** Step 1: quantizes the trained update, makes the key pairs, and returns the state with the `sa-keys` message. */
export async function maskedUpdate(m: Extract<ServerMessage, { t: 'train' }>, r: ClientUpdateResult, me: string, metrics: Record<string, number[]>): Promise<SecureRoundState> {
  const s = m.secure!;
  if (!s.group.includes(me)) throw new RangeError(`This client (${me}) is not in the round's secure-aggregation group.`);
  const mask = await generateKeyPair();
  const share = await generateKeyPair();
  return {
    round: m.round,
    task: m.task,
    me,
    group: s.group,
    threshold: s.threshold,
    quantized: quantizeWeighted(r.update, r.updateNonFinite ? 0 : r.numExamples, s.bound, s.bits, s.group.length),
    numExamples: r.numExamples,
    numBatches: r.numBatches,
    metrics,
    keysMessage: { t: 'sa-keys', round: m.round, task: m.task, maskKey: mask.publicKey, shareKey: share.publicKey },
    maskKey: mask.privateKey,
    shareKey: share.privateKey,
    pairSecrets: new Map(),
    shareKeys: new Map(),
    heldShares: new Map(),
    shared: new Set(),
    revealed: false,
  };
}

const shareContext = (round: number, task: string, from: string, to: string): string => `fedkit-sa/1|${round}|${task}|${from}|${to}`;

/** Step 2: agrees secrets with every member, Shamir-shares the self-mask seed, and returns the encrypted shares. */
export async function handleRoster(state: SecureRoundState, m: Extract<ServerMessage, { t: 'sa-roster' }>): Promise<ClientMessage> {
  const n = state.group.length;
  const words = Array.from(secureRandomUint32(SEED_WORDS), (w) => BigInt(w) % SHAMIR_PRIME);
  const random = (): bigint => BigInt(secureRandomUint32(1)[0]!) % SHAMIR_PRIME;
  const perWord = words.map((w) => shareSecret(w, n, state.threshold, random));
  const shares: Record<string, Uint8Array> = {};
  for (const [index, member] of state.group.entries()) {
    const mine = float32Bytes(Uint32Array.from(perWord, (ws) => Number(ws[index]!.y)));
    if (member === state.me) {
      state.heldShares.set(member, mine.slice());
      continue;
    }
    const keys = m.keys[member];
    if (keys === undefined) continue; // It never sent keys: it takes no part in this round.
    state.pairSecrets.set(member, await agreeSecret(state.maskKey, keys.maskKey, 'fedkit-sa/1 mask'));
    const k = await agreeSecret(state.shareKey, keys.shareKey, 'fedkit-sa/1 share');
    state.shareKeys.set(member, k);
    shares[member] = await seal(k, mine, shareContext(state.round, state.task, state.me, member));
  }
  state.selfSeed = seedFromWords(words);
  return { t: 'sa-shares', round: state.round, task: state.task, shares };
}

/** Step 3: decrypts the shares addressed to this client and returns the masked update. */
export async function handleShares(state: SecureRoundState, m: Extract<ServerMessage, { t: 'sa-shares-for-you' }>): Promise<ClientMessage> {
  for (const [from, sealed] of Object.entries(m.shares)) {
    const k = state.shareKeys.get(from);
    if (k === undefined) continue;
    state.heldShares.set(from, await open(k, sealed, shareContext(state.round, state.task, from, state.me)));
    state.shared.add(from);
  }
  const q = state.quantized!;
  state.quantized = undefined;
  addMask(q, await maskWords(state.selfSeed!, q.length), 1);
  const order = new Map(state.group.map((id, i) => [id, i]));
  for (const v of state.shared) {
    addMask(q, await maskWords(state.pairSecrets.get(v)!, q.length), order.get(state.me)! < order.get(v)! ? 1 : -1);
  }
  return { t: 'sa-masked', round: state.round, task: state.task, masked: [float32Bytes(q)], numExamples: state.numExamples, numBatches: state.numBatches, metrics: state.metrics };
}

/**
 * Step 4: the pairwise seeds of dropped members and the self-mask shares of survivors.
 * @throws RangeError when asked to reveal both for one member, for members outside U2, or with fewer survivors than the threshold.
 */
export function unmaskReply(state: SecureRoundState, m: Extract<ServerMessage, { t: 'sa-unmask-request' }>): ClientMessage {
  const survivors = new Set(m.survivors);
  if (state.revealed) throw new RangeError('This round was already unmasked once; a second request is refused.');
  if (m.dropped.some((d) => survivors.has(d))) throw new RangeError('The unmask request names a member as both dropped and surviving; refusing to reveal anything.');
  if (survivors.size < state.threshold) throw new RangeError(`Only ${survivors.size} survivors, fewer than the threshold ${state.threshold}; refusing to unmask.`);
  state.revealed = true;
  const pairSeeds: Record<string, Uint8Array> = {};
  for (const d of m.dropped) {
    const s = state.pairSecrets.get(d);
    if (s !== undefined && state.shared.has(d)) pairSeeds[d] = s;
  }
  const selfShares: Record<string, Uint8Array> = {};
  for (const v of survivors) {
    const s = state.heldShares.get(v);
    if (s !== undefined) selfShares[v] = s;
  }
  return { t: 'sa-unmask', round: state.round, task: state.task, pairSeeds, selfShares };
}
