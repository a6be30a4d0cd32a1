import { describe, expect, it } from 'vitest';

import { crc32c, maskCrc32c } from './crc32c.js';

describe('crc32c', () => {
  it('gives the check value of "123456789" (0xE3069283, the CRC-32C catalogue entry)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  // RFC 3720 (iSCSI), appendix B.4 "CRC Examples", as 32-bit values.
  it('matches RFC 3720 B.4: 32 bytes of zeros', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  });

  it('matches RFC 3720 B.4: 32 bytes of 0xFF', () => {
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  });

  it('matches RFC 3720 B.4: 32 incrementing bytes 0x00..0x1F', () => {
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
  });

  it('matches RFC 3720 B.4: 32 decrementing bytes 0x1F..0x00', () => {
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('is 0 for no bytes', () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });
});

describe('maskCrc32c', () => {
  it('adds 0xa282ead8 to a CRC of 0', () => {
    expect(maskCrc32c(0)).toBe(0xa282ead8);
  });

  it('rotates right by 15 bits before adding, modulo 2^32', () => {
    // 0xE3069283 rotated right by 15, by hand: 0xE3069283 >>> 15 = 0x1C60D, its low 15 bits 0x1283 << 17 = 0x25060000,
    // together 0x2507C60D; + 0xA282EAD8 = 0xC78AB0E5.
    expect(maskCrc32c(0xe3069283)).toBe(0xc78ab0e5);
    // 0x00008000 rotated right by 15 = 1; + 0xa282ead8.
    expect(maskCrc32c(0x8000)).toBe(0xa282ead9);
    // 1 rotated right by 15 = 0x00020000; 0xFFFFFFFF rotates to itself and the sum wraps: 0xFFFFFFFF + 0xa282ead8 - 2^32.
    expect(maskCrc32c(1)).toBe(0xa284ead8);
    expect(maskCrc32c(0xffffffff)).toBe(0xa282ead7);
  });
});
