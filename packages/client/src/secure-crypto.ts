/**
 * The cryptographic pieces of fedkit's secure aggregation across real
 * clients, on Web Crypto (global `crypto.subtle` in browsers and Node >= 19):
 * ECDH P-256 key agreement, a SHA-256 key derivation, an AES-CTR keystream as
 * the mask generator, and AES-GCM to encrypt Shamir shares for their holder.
 * Bonawitz et al. 2017, "Practical Secure Aggregation for Privacy-Preserving
 * Machine Learning" (CCS), section 4; see secure-masking.ts for the protocol.
 */

/** Masked values live in Z_{2^32}. */
export const MASK_MODULUS = 2 ** 32;

function subtle(): SubtleCrypto {
  const s = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (s === undefined) throw new TypeError('Secure aggregation needs Web Crypto (globalThis.crypto.subtle): Node >= 19 or a browser page served over https or from localhost.');
  return s;
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** A fresh ECDH P-256 key pair and its raw public key (65 bytes). */
export async function generateKeyPair(): Promise<{ privateKey: CryptoKey; publicKey: Uint8Array }> {
  const pair = (await subtle().generateKey(ECDH, false, ['deriveBits'])) as CryptoKeyPair;
  return { privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle().exportKey('raw', pair.publicKey)) };
}

/** 32 bytes both ends of an ECDH agreement derive: SHA-256(label ‖ shared x-coordinate). */
export async function agreeSecret(privateKey: CryptoKey, peerPublicKey: Uint8Array, label: string): Promise<Uint8Array> {
  const peer = await subtle().importKey('raw', peerPublicKey as BufferSource, ECDH, false, []);
  const bits = new Uint8Array(await subtle().deriveBits({ name: 'ECDH', public: peer }, privateKey, 256));
  const tag = new TextEncoder().encode(label);
  const input = new Uint8Array(tag.length + bits.length);
  input.set(tag);
  input.set(bits, tag.length);
  return new Uint8Array(await subtle().digest('SHA-256', input));
}

/**
 * `count` pseudo-random 32-bit words from a 32-byte seed: the AES-256-CTR
 * keystream (counter from 0), so both ends of a seed draw the same mask.
 */
export async function maskWords(seed: Uint8Array, count: number): Promise<Uint32Array> {
  const key = await subtle().importKey('raw', seed as BufferSource, 'AES-CTR', false, ['encrypt']);
  const stream = await subtle().encrypt({ name: 'AES-CTR', counter: new Uint8Array(16), length: 64 }, key, new Uint8Array(count * 4));
  return new Uint32Array(stream);
}

/** AES-256-GCM encryption of `plain` under a 32-byte key, bound to `context`; returns iv ‖ ciphertext. */
export async function seal(keyBytes: Uint8Array, plain: Uint8Array, context: string): Promise<Uint8Array> {
  const key = await subtle().importKey('raw', keyBytes as BufferSource, 'AES-GCM', false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) }, key, plain as BufferSource));
  const out = new Uint8Array(12 + ct.length);
  out.set(iv);
  out.set(ct, 12);
  return out;
}

/** Decrypts what {@link seal} made; rejects when the key, context or bytes differ. */
export async function open(keyBytes: Uint8Array, sealed: Uint8Array, context: string): Promise<Uint8Array> {
  const key = await subtle().importKey('raw', keyBytes as BufferSource, 'AES-GCM', false, ['decrypt']);
  return new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv: sealed.slice(0, 12), additionalData: new TextEncoder().encode(context) }, key, sealed.slice(12) as BufferSource));
}

/** The 32-byte mask seed a self-mask is drawn from, packed from 8 field elements (each < 2^31). */
export function seedFromWords(words: readonly bigint[]): Uint8Array {
  return new Uint8Array(Uint32Array.from(words, (w) => Number(w)).buffer);
}

/** Adds `sign * mask` to `acc` in Z_{2^32}, in place. */
export function addMask(acc: Uint32Array, mask: Uint32Array, sign: 1 | -1): void {
  // Uint32Array stores mod 2^32 on assignment; the sum of two words stays exact in a double.
  if (sign === 1) for (let k = 0; k < acc.length; k++) acc[k] = acc[k]! + mask[k]!;
  else for (let k = 0; k < acc.length; k++) acc[k] = acc[k]! - mask[k]! + MASK_MODULUS;
}
