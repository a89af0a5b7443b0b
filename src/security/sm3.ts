/**
 * HMAC-SM3 (GB/T 32905 hash, RFC 2104 construction) for one fixed key, computed in JavaScript
 * from the key's two precomputed states.
 *
 * Why not `createHmac('sm3', key)`: every call builds an OpenSSL HMAC context, hashes the two
 * 64-byte key pads again and crosses into C++ three times — about 2.5 µs, against about 1.2 µs
 * here for a short value (an ID number, a phone number): an import computes several blind
 * indexes per row. HMAC allows the hash states after the key pads to be kept (RFC 2104 §4,
 * "precomputed values"), so a short value costs two compressions.
 *
 * SM3 uses only 32-bit additions, rotations and logic (no table look-ups, no branches on the
 * data), so the time taken depends on the key in no way, and on the value only through its
 * length and whether it is plain ASCII (other text is encoded by Buffer first). The message
 * buffer is cleared after each value, so no plaintext is left in it. Checked against OpenSSL
 * (Node's `createHmac('sm3')`, whose SM3 `crypto.test.ts` checks against the standard's example)
 * for random keys and values of every length across the block boundaries.
 */
import { createHash } from 'node:crypto';

const IV = Int32Array.of(
  0x7380166f,
  0x4914b2b9,
  0x172442d7,
  0xda8a0600 | 0,
  0xa96f30bc | 0,
  0x163138aa,
  0xe38dee4d | 0,
  0xb0fb0e4e | 0,
);

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));

/** T_j rotated left by j mod 32, for the 64 rounds. */
const T = new Int32Array(64);
for (let j = 0; j < 64; j++) T[j] = rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a | 0, j % 32);

const W = new Int32Array(68);

/** One SM3 compression of the 64-byte block at `block[off…]` into state `v` (in place). */
function compress(v: Int32Array, block: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const o = off + i * 4;
    W[i] = (block[o] << 24) | (block[o + 1] << 16) | (block[o + 2] << 8) | block[o + 3];
  }
  for (let j = 16; j < 68; j++) {
    const x = W[j - 16] ^ W[j - 9] ^ rotl(W[j - 3], 15);
    W[j] = x ^ rotl(x, 15) ^ rotl(x, 23) ^ rotl(W[j - 13], 7) ^ W[j - 6];
  }
  let a = v[0];
  let b = v[1];
  let c = v[2];
  let d = v[3];
  let e = v[4];
  let f = v[5];
  let g = v[6];
  let h = v[7];
  for (let j = 0; j < 64; j++) {
    const a12 = rotl(a, 12);
    const ss1 = rotl((a12 + e + T[j]) | 0, 7);
    // FF and GG: plain XOR in rounds 0–15, majority and choice after.
    const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
    const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
    const tt1 = (ff + d + (ss1 ^ a12) + (W[j] ^ W[j + 4])) | 0;
    const tt2 = (gg + h + ss1 + W[j]) | 0;
    d = c;
    c = rotl(b, 9);
    b = a;
    a = tt1;
    h = g;
    g = rotl(f, 19);
    f = e;
    e = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17);
  }
  v[0] ^= a;
  v[1] ^= b;
  v[2] ^= c;
  v[3] ^= d;
  v[4] ^= e;
  v[5] ^= f;
  v[6] ^= g;
  v[7] ^= h;
}

/**
 * Hashes `msg[0…len)` on from `state` (which has already absorbed `prefixBytes`, a multiple of
 * 64), with SM3's padding; the digest is left in `state`.
 */
function finish(state: Int32Array, msg: Uint8Array, len: number, prefixBytes: number, pad: Uint8Array): void {
  let off = 0;
  for (; len - off >= 64; off += 64) compress(state, msg, off);
  const rest = len - off;
  pad.fill(0);
  pad.set(msg.subarray(off, len), 0);
  pad[rest] = 0x80;
  const blocks = rest + 9 > 64 ? 2 : 1;
  // The message length in bits, 64-bit big-endian (exact up to 2^53 bits).
  const bits = (prefixBytes + len) * 8;
  const end = blocks * 64;
  const hi = Math.floor(bits / 0x100000000);
  pad[end - 8] = hi >>> 24;
  pad[end - 7] = hi >>> 16;
  pad[end - 6] = hi >>> 8;
  pad[end - 5] = hi;
  pad[end - 4] = bits >>> 24;
  pad[end - 3] = bits >>> 16;
  pad[end - 2] = bits >>> 8;
  pad[end - 1] = bits;
  compress(state, pad, 0);
  if (blocks === 2) compress(state, pad, 64);
}

/** The state as 64 hex digits, through one reused buffer (one string made, no pieces). */
const OUT = Buffer.alloc(32);
function hexOf(v: Int32Array): string {
  for (let i = 0; i < 8; i++) OUT.writeInt32BE(v[i], i * 4);
  return OUT.toString('hex');
}

export type KeyedSm3 = {
  /** HMAC-SM3 of a string's UTF-8 bytes, 64 hex digits. */
  hex(value: string): string;
  /** HMAC-SM3 of the bytes of the given parts, one after the other (32 bytes). */
  digest(...parts: Uint8Array[]): Buffer;
};

/** HMAC-SM3 with one key, its two pad states computed once. */
export function keyedSm3(key: Uint8Array): KeyedSm3 {
  const k = new Uint8Array(64);
  k.set(key.length > 64 ? createHash('sm3').update(key).digest() : key);
  const inner0 = IV.slice();
  const outer0 = IV.slice();
  compress(
    inner0,
    k.map((x) => x ^ 0x36),
    0,
  );
  compress(
    outer0,
    k.map((x) => x ^ 0x5c),
    0,
  );
  const state = new Int32Array(8);
  const pad = new Uint8Array(128);
  let msg = new Uint8Array(256);
  const innerDigest = new Uint8Array(32);

  const mac = (len: number): Int32Array => {
    state.set(inner0);
    finish(state, msg, len, 64, pad);
    msg.fill(0, 0, len);
    for (let i = 0; i < 8; i++) {
      const w = state[i];
      innerDigest[i * 4] = w >>> 24;
      innerDigest[i * 4 + 1] = w >>> 16;
      innerDigest[i * 4 + 2] = w >>> 8;
      innerDigest[i * 4 + 3] = w;
    }
    state.set(outer0);
    finish(state, innerDigest, 32, 64, pad);
    return state;
  };
  const room = (n: number) => {
    if (n > msg.length) msg = new Uint8Array(Math.max(n, msg.length * 2));
  };

  return {
    hex(value) {
      let len = value.length;
      room(len);
      let ascii = true;
      for (let i = 0; i < len; i++) {
        const c = value.charCodeAt(i);
        if (c > 0x7f) {
          ascii = false;
          break;
        }
        msg[i] = c;
      }
      if (!ascii) {
        const bytes = Buffer.from(value, 'utf8');
        len = bytes.length;
        room(len);
        msg.set(bytes);
      }
      return hexOf(mac(len));
    },
    digest(...parts) {
      const len = parts.reduce((n, p) => n + p.length, 0);
      room(len);
      let off = 0;
      for (const p of parts) {
        msg.set(p, off);
        off += p.length;
      }
      const v = mac(len);
      const out = Buffer.allocUnsafe(32);
      for (let i = 0; i < 8; i++) out.writeInt32BE(v[i], i * 4);
      return out;
    },
  };
}
