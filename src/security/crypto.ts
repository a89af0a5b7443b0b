/**
 * Personal-data protection: SM4 encryption at rest, authenticated (SM4-CTR in Node's native
 * OpenSSL, then HMAC-SM3 over IV and ciphertext), a keyed SM3 blind index for exact look-up
 * (HMAC-SM3; both HMACs from precomputed key states, `sm3.ts`, checked against OpenSSL), SM3 for the audit chain and token hashes. Values written by the earlier SM4-GCM
 * scheme (sm-crypto-v2) still decrypt. Keys come from configuration; in development a key file
 * is generated into the data folder.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sm4 } from 'sm-crypto-v2';
import { keyedSm3 } from './sm3.ts';

export type Keys = {
  /** 16-byte SM4 data key, hex. */
  dataKey: string;
  /** Key of the blind index (HMAC-SM3), hex. */
  indexKey: string;
  /** Key id written with every ciphertext, so keys can rotate. */
  keyId: string;
};

const HEX32 = /^[0-9a-f]{32}$/i;

/**
 * Reads keys from `JUNHENG_SM4_KEY` / `JUNHENG_INDEX_KEY` (hex), or, outside production, from
 * `<dataDir>/keys/dev-keys.json`, created on first use.
 */
export function loadKeys(env: NodeJS.ProcessEnv, dataDir: string): Keys {
  if (env.JUNHENG_SM4_KEY || env.JUNHENG_INDEX_KEY) {
    const dataKey = env.JUNHENG_SM4_KEY ?? '';
    const indexKey = env.JUNHENG_INDEX_KEY ?? '';
    if (!HEX32.test(dataKey))
      throw new Error('JUNHENG_SM4_KEY must be 32 hex characters (a 128-bit SM4 key)');
    if (!/^[0-9a-f]{32,128}$/i.test(indexKey))
      throw new Error('JUNHENG_INDEX_KEY must be 32 to 128 hex characters');
    return { dataKey, indexKey, keyId: env.JUNHENG_KEY_ID || 'k1' };
  }
  if (env.NODE_ENV === 'production') {
    throw new Error('JUNHENG_SM4_KEY and JUNHENG_INDEX_KEY must be set in production');
  }
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'dev-keys.json');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const keys: Keys = {
      dataKey: randomBytes(16).toString('hex'),
      indexKey: randomBytes(32).toString('hex'),
      keyId: 'dev1',
    };
    writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Keys;
}

export type Cipher = {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  /** Deterministic keyed index of a normalised value, for equality look-up. */
  blindIndex(value: string): string;
};

/** Random IVs drawn from a pool: one system call per 4,096 values instead of one each. */
function ivSource(size: number): () => Buffer {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + size > pool.length) {
      pool = randomBytes(size * 4096);
      offset = 0;
    }
    const iv = Buffer.from(pool.subarray(offset, offset + size));
    offset += size;
    return iv;
  };
}

/**
 * Stored form: `sm4ctr:<keyId>:<iv b64>:<ciphertext b64>:<mac b64>` where mac =
 * HMAC-SM3(macKey, iv ‖ ciphertext) truncated to 128 bits (encrypt-then-MAC); the MAC key is
 * derived from the data key (HMAC-SM3(dataKey, "junheng mac")). Legacy values
 * `sm4gcm:<keyId>:<iv>:<ciphertext>:<tag>` are still read.
 */
export function createCipher(keys: Keys): Cipher {
  const dataKey = Buffer.from(keys.dataKey, 'hex');
  const macKey = keyedSm3(keyedSm3(dataKey).digest(Buffer.from('junheng mac')));
  const index = keyedSm3(Buffer.from(keys.indexKey, 'hex'));
  const nextIv = ivSource(16);
  const mac = (iv: Buffer, ct: Buffer) => macKey.digest(iv, ct).subarray(0, 16);
  return {
    encrypt(plain) {
      const iv = nextIv();
      const c = createCipheriv('sm4-ctr', dataKey, iv);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `sm4ctr:${keys.keyId}:${iv.toString('base64')}:${ct.toString('base64')}:${mac(iv, ct).toString('base64')}`;
    },
    decrypt(stored) {
      const [scheme, keyId, ivB64, ctB64, tagB64] = stored.split(':');
      if (keyId !== keys.keyId) throw new Error(`cannot decrypt: unknown key ${keyId}`);
      const iv = Buffer.from(ivB64, 'base64');
      const ct = Buffer.from(ctB64, 'base64');
      const tag = Buffer.from(tagB64, 'base64');
      if (scheme === 'sm4ctr') {
        const expected = mac(iv, ct);
        if (tag.length !== expected.length || !timingSafeEqual(tag, expected))
          throw new Error('cannot decrypt: authentication failed');
        const d = createDecipheriv('sm4-ctr', dataKey, iv);
        return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
      }
      if (scheme === 'sm4gcm') {
        return sm4.decrypt(ct, keys.dataKey, { mode: 'gcm', iv, tag, output: 'string' });
      }
      throw new Error(`cannot decrypt: unknown scheme ${scheme}`);
    },
    blindIndex(value) {
      return index.hex(value);
    },
  };
}

/** SM3 digest, hex (GB/T 32905). */
export function sm3Hex(data: string | Buffer): string {
  return createHash('sm3').update(data).digest('hex');
}
