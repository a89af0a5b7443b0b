/**
 * Personal-data protection: SM4-GCM encryption at rest (sm-crypto-v2), a keyed SM3 blind
 * index for exact look-up (HMAC-SM3, Node's crypto), SM3 for the audit chain and token hashes.
 * Keys come from configuration; in development a key file is generated into the data folder.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sm4 } from 'sm-crypto-v2';

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

/** Stored form: `sm4gcm:<keyId>:<iv b64>:<ciphertext b64>:<tag b64>`. */
export function createCipher(keys: Keys): Cipher {
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const r = sm4.encrypt(plain, keys.dataKey, { mode: 'gcm', iv, output: 'array', outputTag: true });
      return `sm4gcm:${keys.keyId}:${iv.toString('base64')}:${Buffer.from(r.output).toString('base64')}:${Buffer.from(r.tag!).toString('base64')}`;
    },
    decrypt(stored) {
      const [scheme, keyId, iv, ct, tag] = stored.split(':');
      if (scheme !== 'sm4gcm' || keyId !== keys.keyId)
        throw new Error(`cannot decrypt: unknown scheme or key ${keyId}`);
      return sm4.decrypt(Buffer.from(ct, 'base64'), keys.dataKey, {
        mode: 'gcm',
        iv: Buffer.from(iv, 'base64'),
        tag: Buffer.from(tag, 'base64'),
        output: 'string',
      });
    },
    blindIndex(value) {
      return createHmac('sm3', Buffer.from(keys.indexKey, 'hex')).update(value).digest('hex');
    },
  };
}

/** SM3 digest, hex (GB/T 32905). */
export function sm3Hex(data: string | Buffer): string {
  return createHash('sm3').update(data).digest('hex');
}
