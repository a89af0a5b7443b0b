import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyedSm3 } from './sm3.ts';

const openssl = (key: Uint8Array, ...parts: Uint8Array[]) => {
  const h = createHmac('sm3', key);
  for (const p of parts) h.update(p);
  return h.digest();
};

describe('HMAC-SM3 from precomputed key states', () => {
  it('equals OpenSSL for every message length from 0 to 200 bytes (one, two and more blocks)', () => {
    const key = randomBytes(32);
    const k = keyedSm3(key);
    for (let n = 0; n <= 200; n++) {
      const m = randomBytes(n);
      expect(k.digest(m).toString('hex'), `length ${n}`).toBe(openssl(key, m).toString('hex'));
    }
  });

  it('equals OpenSSL for random keys (short, 64-byte, longer than a block) and strings', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.oneof(fc.string({ maxLength: 90 }), fc.string({ unit: 'binary', maxLength: 40 })),
        (key, value) => {
          // One keyed instance used twice: the second answer must not depend on the first.
          const k = keyedSm3(key);
          k.hex(`${value}x`.repeat(3));
          expect(k.hex(value)).toBe(createHmac('sm3', key).update(value, 'utf8').digest('hex'));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('equals OpenSSL for messages given in parts (IV ‖ ciphertext)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }), (a, b) => {
        const key = randomBytes(32);
        expect(
          keyedSm3(key)
            .digest(a, b)
            .equals(openssl(key, a, b)),
        ).toBe(true);
      }),
    );
  });

  it('keeps the blind indexes already stored: an ID number and a phone as before', () => {
    const key = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
    const k = keyedSm3(key);
    for (const v of ['53010219900101123X', 'phone:13800000000', '昆明市五华区'])
      expect(k.hex(v)).toBe(createHmac('sm3', key).update(v).digest('hex'));
  });
});
