// The exports both entries share (index.ts for Node, browser.ts for bundlers' `browser` condition).
export { FedkitClient, ClientRefusedError, type FedkitClientOptions, type ClientEvent, type WebSocketLike, type WebSocketFactory } from './fedkit-client.js';
export { buildClientModel, type ClientModel } from './build-client-model.js';
export { encodeFrames, FrameDecoder, ProtocolError, float32Bytes, float32FromBytes, uint32FromBytes } from './frame-codec.js';
export {
  PROTOCOL_VERSION,
  clientMessageSchema,
  serverMessageSchema,
  taskDescriptionSchema,
  limitsSchema,
  chunkSchema,
  type ClientMessage,
  type ServerMessage,
  type TaskDescription,
  type ProtocolLimits,
  type ChunkMessage,
} from './protocol-messages.js';
export { quantizeWeighted, maskedUpdate, handleRoster, handleShares, unmaskReply, SEED_WORDS, type SecureRoundState } from './secure-masking.js';
export { MASK_MODULUS, maskWords, addMask, seedFromWords, generateKeyPair, agreeSecret, seal, open } from './secure-crypto.js';
