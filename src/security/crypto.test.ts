import { createCipheriv, createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm4 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { createCipher, loadKeys, sm3Hex } from './crypto.ts';

describe('known-answer tests', () => {
  it('SM3 of "abc" (GB/T 32905 example 1)', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });
  it('SM4 single block (GB/T 32907 example 1), in both implementations', () => {
    const key = '0123456789abcdeffedcba9876543210';
    const c = createCipheriv('sm4-ecb', Buffer.from(key, 'hex'), null).setAutoPadding(false);
    const node = Buffer.concat([c.update(Buffer.from(key, 'hex')), c.final()]).toString('hex');
    expect(node).toBe('681edf34d206965e86b3e94f536e4246');
    const lib = sm4.encrypt(Buffer.from(key, 'hex'), key, { mode: 'ecb', padding: 'none' });
    expect(lib).toBe('681edf34d206965e86b3e94f536e4246');
  });
});

describe('cipher', () => {
  const keys = loadKeys({}, mkdtempSync(join(tmpdir(), 'jh-keys-')));
  const cipher = createCipher(keys);
  it('round-trips, with a fresh IV each time', () => {
    const a = cipher.encrypt('530102199001011230');
    const b = cipher.encrypt('530102199001011230');
    expect(a).not.toBe(b);
    expect(a).not.toContain('530102199001011230');
    expect(cipher.decrypt(a)).toBe('530102199001011230');
  });
  it('detects tampering (encrypt-then-MAC)', () => {
    const a = cipher.encrypt('hello').split(':');
    const ct = Buffer.from(a[3], 'base64');
    ct[0] ^= 1;
    a[3] = ct.toString('base64');
    expect(() => cipher.decrypt(a.join(':'))).toThrow(/authentication/);
  });
  it('still reads values written by the earlier SM4-GCM scheme', () => {
    const iv = Buffer.alloc(12, 7);
    const r = sm4.encrypt('5301', keys.dataKey, { mode: 'gcm', iv, output: 'array', outputTag: true });
    const legacy = `sm4gcm:${keys.keyId}:${iv.toString('base64')}:${Buffer.from(r.output).toString('base64')}:${Buffer.from(r.tag!).toString('base64')}`;
    expect(cipher.decrypt(legacy)).toBe('5301');
  });
  it('reads values and matches blind indexes made with OpenSSL HMAC-SM3 (stored data stays valid)', () => {
    const dataKey = Buffer.from(keys.dataKey, 'hex');
    const macKey = createHmac('sm3', dataKey).update('junheng mac').digest();
    const iv = Buffer.alloc(16, 3);
    const c = createCipheriv('sm4-ctr', dataKey, iv);
    const ct = Buffer.concat([c.update('53010219900101123X', 'utf8'), c.final()]);
    const tag = createHmac('sm3', macKey).update(iv).update(ct).digest().subarray(0, 16);
    const stored = `sm4ctr:${keys.keyId}:${iv.toString('base64')}:${ct.toString('base64')}:${tag.toString('base64')}`;
    expect(cipher.decrypt(stored)).toBe('53010219900101123X');
    const indexKey = Buffer.from(keys.indexKey, 'hex');
    expect(cipher.blindIndex('53010219900101123X')).toBe(
      createHmac('sm3', indexKey).update('53010219900101123X').digest('hex'),
    );
  });
  it('SM4-CTR in Node agrees with the GB/T 32907 block cipher (first keystream block)', () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const c = createCipheriv('sm4-ctr', key, key);
    // CTR's first block = E(K, IV) XOR plaintext; with a zero plaintext it is E(K, IV).
    expect(Buffer.concat([c.update(Buffer.alloc(16)), c.final()]).toString('hex')).toBe(
      '681edf34d206965e86b3e94f536e4246',
    );
  });
  it('blind index is deterministic and keyed', () => {
    expect(cipher.blindIndex('x')).toBe(cipher.blindIndex('x'));
    const other = createCipher({ ...keys, indexKey: '00'.repeat(32) });
    expect(other.blindIndex('x')).not.toBe(cipher.blindIndex('x'));
  });
  it('refuses malformed configured keys', () => {
    expect(() => loadKeys({ JUNHENG_SM4_KEY: 'zz', JUNHENG_INDEX_KEY: 'aa' }, '/nonexistent')).toThrow(/SM4/);
  });
});
