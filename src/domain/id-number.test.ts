import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findUnmaskedIdNumbers,
  isChecksumValidId,
  makeIdNumber,
  maskIdNumber,
  parseIdNumber,
} from './id-number.ts';

describe('GB 11643 ID numbers', () => {
  it('accepts the standard sample numbers', () => {
    expect(parseIdNumber('11010519491231002X')).toMatchObject({
      ok: true,
      value: { sex: 'female', birthDate: '1949-12-31' },
    });
    expect(parseIdNumber('440524188001010014')).toMatchObject({
      ok: true,
      value: { sex: 'male', birthDate: '1880-01-01' },
    });
  });
  it('rejects a wrong check character, an impossible date and a bad format', () => {
    expect(parseIdNumber('110105194912310021')).toMatchObject({ ok: false, code: 'id.checksum' });
    expect(parseIdNumber(makeIdNumber('530102', '2023-02-30', 11).slice(0, 17) + '0')).toMatchObject({
      ok: false,
      code: 'id.birth_date',
    });
    expect(parseIdNumber('53010219900101')).toMatchObject({ ok: false, code: 'id.format' });
  });
  it('converts 15-digit legacy numbers', () => {
    const r = parseIdNumber('530121850312041');
    expect(r.ok && r.value.normalized).toBe(makeIdNumber('530121', '1985-03-12', 41));
    expect(r.ok && r.value.converted).toBe(true);
  });
  it('does not reject unknown address codes', () => {
    expect(parseIdNumber(makeIdNumber('999999', '2000-02-29', 1)).ok).toBe(true);
  });
  it('rejects birth dates after today', () => {
    expect(parseIdNumber(makeIdNumber('530102', '2030-01-01', 1), '2026-11-29')).toMatchObject({
      ok: false,
      code: 'id.future_birth_date',
    });
  });
  it('every generated number validates, and masking hides it from the detector', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        (d, seq) => {
          const id = makeIdNumber('530103', d.toISOString().slice(0, 10), seq);
          expect(isChecksumValidId(id)).toBe(true);
          expect(findUnmaskedIdNumbers(`x ${id} y`)).toEqual([id]);
          expect(findUnmaskedIdNumbers(maskIdNumber(id))).toEqual([]);
        },
      ),
      { seed: 42 },
    );
  });
});
