/**
 * The fedkit federation protocol's messages (version {@link PROTOCOL_VERSION}),
 * as zod schemas: every frame is validated against them on arrival, on the
 * server and on the client. Weights travel as msgpack `bin` values holding
 * little-endian float32 (never JSON numbers). The README of @fedkit/client
 * documents the protocol for other implementations.
 */
import { z } from 'zod';

/** The protocol version; a peer speaking another one is refused with `error` code `version`. */
export const PROTOCOL_VERSION = 1;

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, "expected binary bytes (msgpack bin)");
const count = z.number().int().nonnegative();
const finite = z.number().refine(Number.isFinite, 'must be finite');
const shape = z.array(z.number().int().nonnegative().nullable());
const tensorSpec = z.object({ shape, dtype: z.enum(['float32', 'int32', 'bool']) });
const numberRecord = z.record(z.string(), z.number());
const arraysRecord = z.record(z.string(), z.array(bytes));

/** The task a federation trains, as plain data: enough for a client to build the model. */
export const taskDescriptionSchema = z.object({
  /** The task's name (e.g. `mnist-2nn`). */
  name: z.string(),
  /** tfjs-layers model topology (`model.toJSON(null, false)`), as a JSON string. */
  modelTopology: z.string().max(1_000_000),
  /** A registered loss name (e.g. `sparse_categorical_crossentropy`). */
  loss: z.string(),
  /** Registered metric names (e.g. `sparse_categorical_accuracy`). */
  metrics: z.array(z.string()),
  /** The spec of one batch. */
  inputSpec: z.object({ x: tensorSpec, y: tensorSpec }),
  /** Shapes of the trainable weights, in Keras order (what an update must match). */
  trainableShapes: z.array(z.array(count)),
});
export type TaskDescription = z.infer<typeof taskDescriptionSchema>;

/** Limits the server enforces; it tells each client in `welcome`. */
export const limitsSchema = z.object({
  /** Largest message (after reassembling chunks), in bytes. */
  maxMessageBytes: count,
  /** Frames larger than this travel as `chunk` messages. */
  chunkBytes: count,
});
export type ProtocolLimits = z.infer<typeof limitsSchema>;

const secureAggregationSchema = z.object({
  /** Everyone in this round's masking group, by session id, in a fixed order (the order fixes mask signs). */
  group: z.array(z.string()),
  /** Shamir threshold t of the self-mask seed shares. */
  threshold: count,
  /** Values are clipped to [-bound, bound] and quantized to `bits` bits before masking. */
  bound: finite,
  bits: count,
});

/** Client → server messages. */
export const clientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('hello'), v: z.number().int(), token: z.string().max(4096).optional(), name: z.string().max(200).optional(), runtime: z.string().max(100).optional() }),
  z.object({
    t: z.literal('result'),
    round: count,
    task: z.string(),
    update: z.array(bytes),
    numExamples: count,
    numBatches: count,
    updateNonFinite: z.boolean(),
    metrics: z.record(z.string(), z.array(z.number())),
    extra: numberRecord.optional(),
    outputs: arraysRecord.optional(),
  }),
  z.object({ t: z.literal('failed'), round: count, task: z.string(), error: z.string().max(10_000) }),
  z.object({ t: z.literal('progress'), round: count, task: z.string(), batches: count }),
  /** Secure aggregation, step 1: the client's two ECDH public keys (raw P-256 points). */
  z.object({ t: z.literal('sa-keys'), round: count, task: z.string(), maskKey: bytes, shareKey: bytes }),
  /** Step 2: the self-mask seed's Shamir shares, each AES-GCM-encrypted for one group member. */
  z.object({ t: z.literal('sa-shares'), round: count, task: z.string(), shares: z.record(z.string(), bytes) }),
  /** Step 3: the masked, quantized update (uint32 little-endian words per array) and its weight/metrics in clear. */
  z.object({
    t: z.literal('sa-masked'),
    round: count,
    task: z.string(),
    masked: z.array(bytes),
    numExamples: count,
    numBatches: count,
    metrics: z.record(z.string(), z.array(z.number())),
  }),
  /** Step 4: for each dropped member its pairwise mask seed with this client; for each survivor its self-mask share. */
  z.object({ t: z.literal('sa-unmask'), round: count, task: z.string(), pairSeeds: z.record(z.string(), bytes), selfShares: z.record(z.string(), bytes) }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** Server → client messages. */
export const serverMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('welcome'), v: z.number().int(), session: z.string(), federation: z.string(), task: taskDescriptionSchema, limits: limitsSchema }),
  z.object({
    t: z.literal('train'),
    round: count,
    task: z.string(),
    weights: z.array(bytes),
    update: z.object({ name: z.string(), config: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional() }),
    optimizer: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
    inputs: arraysRecord.optional(),
    deadlineMs: count,
    secure: secureAggregationSchema.optional(),
  }),
  /** Secure aggregation: every group member's public keys (after step 1). */
  z.object({ t: z.literal('sa-roster'), round: count, task: z.string(), keys: z.record(z.string(), z.object({ maskKey: bytes, shareKey: bytes })) }),
  /** Secure aggregation: the encrypted shares addressed to this client, by sender. */
  z.object({ t: z.literal('sa-shares-for-you'), round: count, task: z.string(), shares: z.record(z.string(), bytes) }),
  /** Secure aggregation: who sent a masked update (survivors) and who did not (dropped). */
  z.object({ t: z.literal('sa-unmask-request'), round: count, task: z.string(), survivors: z.array(z.string()), dropped: z.array(z.string()) }),
  z.object({ t: z.literal('cancel'), round: count, task: z.string(), reason: z.string() }),
  z.object({ t: z.literal('rejected'), round: count, task: z.string(), reason: z.string() }),
  z.object({ t: z.literal('status'), round: count, rounds: count, clients: count, train: numberRecord.optional(), eval: numberRecord.optional() }),
  z.object({ t: z.literal('done'), round: count }),
  z.object({ t: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** A piece of a frame larger than `limits.chunkBytes` (both directions). */
export const chunkSchema = z.object({ t: z.literal('chunk'), id: count, i: count, n: z.number().int().positive(), data: bytes });
export type ChunkMessage = z.infer<typeof chunkSchema>;
