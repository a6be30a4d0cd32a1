/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of
 * TFRecord files (Castagnoli, Bräuer and Herrmann, "Optimization of Cyclic
 * Redundancy-Check Codes with 24 and 32 Parity Bits", IEEE Trans. Commun. 1993;
 * used by iSCSI, RFC 3720 appendix B.4).
 */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * The CRC-32C of `bytes` as an unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * crc32c(new TextEncoder().encode('123456789')).toString(16); // 'e3069283'
 * ```
 */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * TensorFlow's masked CRC (`tensorflow/core/lib/hash/crc32c.h`, `Mask`): rotated
 * right by 15 bits plus 0xa282ead8, so that a CRC stored inside checksummed
 * data does not checksum to a fixed value.
 *
 * @example
 * ```ts
 * maskCrc32c(0); // 0xa282ead8
 * ```
 */
export function maskCrc32c(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
