import { describe, expect, it } from 'vitest';
import {
  AUTO_LINK,
  addressKey,
  type Candidate,
  decideLink,
  editDistance,
  NAME_SOUND,
  nameSound,
  REVIEW,
  scoreCandidate,
  surnameReadings,
  surnameSound,
} from './linkage.ts';
import { decodeSources, encodeSources, mergeFacts } from './precedence.ts';

const c = (id: number, name: string, extra: Partial<Candidate> = {}): Candidate => ({
  id,
  name,
  sex: 'male',
  birthDate: '2023-06-01',
  streetCode: '530102001',
  motherId: 7,
  householdNo: 'H1',
  ...extra,
});
const probe = (name: string, motherId: number | null = 7) => ({
  name,
  sex: 'male',
  birthDate: '2023-06-01',
  streetCode: '530102001',
  motherId,
});

describe('fuzzy linkage', () => {
  it('counts the same address where a side has no street code, once, written either way', () => {
    const addr = '昆明市五华区华山街道青年路１２号３单元';
    const noStreet = {
      ...probe('王梓轩'),
      streetCode: null,
      address: '云南省昆明市 五华区华山街道青年路12号3单元',
    };
    // The same address (full-width digits, a space, the province prefix aside): +15, as a street.
    const same = scoreCandidate(noStreet, c(1, '王梓轩', { streetCode: null, address: addr }))!;
    expect(same.reasons).toContain('address');
    expect(same.score).toBe(scoreCandidate(probe('王梓轩'), c(1, '王梓轩'))!.score);
    // Another house number: nothing.
    const other = scoreCandidate(
      noStreet,
      c(1, '王梓轩', { streetCode: null, address: '昆明市五华区华山街道青年路14号' }),
    )!;
    expect(other.reasons).not.toContain('address');
    expect(other.score).toBe(same.score - 15);
    // Street and address both the same: counted once, as the street.
    const both = scoreCandidate({ ...probe('王梓轩'), address: addr }, c(1, '王梓轩', { address: addr }))!;
    expect(both.reasons).toContain('street');
    expect(both.reasons).not.toContain('address');
    expect(both.score).toBe(same.score);
    expect(addressKey('')).toBe('');
  });
  it('measures edit distance by characters', () => {
    expect(editDistance('子涵', '子轩')).toBe(1);
    expect(editDistance('子宣', '梓涵')).toBe(2);
  });
  it('links the exact name, never the twin', () => {
    const d = decideLink(probe('王子轩'), [c(1, '王子涵'), c(2, '王子轩')]);
    expect(d).toMatchObject({ kind: 'link', personId: 2 });
  });
  it('does not guess between twins on a mistyped name', () => {
    expect(decideLink(probe('王子宣'), [c(1, '王子涵'), c(2, '王子轩')]).kind).toBe('none');
  });
  it('refuses a candidate with another mother or sex', () => {
    expect(decideLink(probe('王子轩', 8), [c(2, '王子轩')]).kind).toBe('none');
    expect(decideLink({ ...probe('王子轩'), sex: 'female' }, [c(2, '王子轩')]).kind).toBe('none');
  });
  it('queues a medium score and applies remembered decisions', () => {
    const cand = [c(3, '林晓', { streetCode: '530102009', motherId: null, householdNo: null })];
    const p = { ...probe('林晓', null) };
    expect(decideLink(p, cand).kind).toBe('review');
    expect(decideLink(p, cand, { same: new Set([3]), different: new Set() })).toMatchObject({
      kind: 'link',
      personId: 3,
    });
    expect(decideLink(p, cand, { same: new Set(), different: new Set([3]) }).kind).toBe('none');
  });
  it('never auto-links two equally good candidates', () => {
    const cand = [
      c(4, '李明', { motherId: null, householdNo: null }),
      c(5, '李明', { motherId: null, householdNo: null }),
    ];
    expect(decideLink(probe('李明', null), cand).kind).toBe('review');
  });
});

describe('fuzzy linkage by sound (toneless pinyin)', () => {
  const score = (p: string, cand: string, extra: Partial<Candidate> = {}) =>
    scoreCandidate(probe(p), c(1, cand, extra));
  it('reads names in surname mode, toneless', () => {
    expect(nameSound('张伟')).toEqual(['zhang', 'wei']);
    // Polyphonic surnames read as surnames: 曾 zeng (not ceng), 单 shan (not dan).
    expect(nameSound('曾伟')).toEqual(['zeng', 'wei']);
    expect(nameSound('单伟')).toEqual(['shan', 'wei']);
  });
  it('queues a homophone typo in the given name even when sex, mother and street agree', () => {
    expect(score('张玮', '张伟')).toMatchObject({
      score: NAME_SOUND + 40,
      reasons: expect.arrayContaining(['name.sound']),
    });
    expect(NAME_SOUND + 40).toBeLessThan(AUTO_LINK);
    const d = decideLink(probe('张玮'), [c(1, '张伟')]);
    expect(d.kind).toBe('review');
    expect(d.kind === 'review' && d.candidates.map((x) => x.candidate.id)).toEqual([1]);
  });
  it('queues a homophone typo in the surname (章伟 for 张伟, 汪 for 王, 许 for 徐)', () => {
    for (const [typed, registered] of [
      ['章伟', '张伟'],
      ['汪芳', '王芳'],
      ['许敏', '徐敏'],
    ]) {
      const d = decideLink(probe(typed), [c(1, registered)]);
      expect(d.kind === 'review' && d.candidates[0].reasons).toContain('name.sound');
    }
  });
  it('never links a twin with a homophone name to the registered twin (张依 when only 张一 is registered)', () => {
    // Same birth date, same mother, same street, a name that sounds the same: a typo or the
    // other twin. Nothing tells them apart while only one is registered, so staff decide.
    expect(decideLink(probe('张依'), [c(1, '张一')]).kind).toBe('review');
  });
  it('queues a homophone with one fact missing, drops it with two', () => {
    const street = { streetCode: '530102009' };
    expect(decideLink(probe('章伟'), [c(1, '张伟', street)]).kind).toBe('review');
    expect(decideLink(probe('章伟', null), [c(1, '张伟')]).kind).toBe('review');
    const s = score('章伟', '张伟', street);
    expect(s!.score).toBeGreaterThanOrEqual(REVIEW);
    expect(s!.score).toBeLessThan(AUTO_LINK);
    expect(decideLink(probe('章伟', null), [c(1, '张伟', street)]).kind).toBe('none');
  });
  it('reads polyphonic surnames as surnames: 曾/增 and 单/善 sound the same', () => {
    expect(score('增伟', '曾伟')!.reasons).toContain('name.sound');
    expect(score('善伟', '单伟')!.reasons).toContain('name.sound');
    // …and 单 (shan) does not sound like 丹 (dan): one character off, nothing more.
    expect(score('丹伟', '单伟')).toBeNull();
  });
  it('still scores a one-character change that does not sound alike as similar (30)', () => {
    const s = score('张强', '张伟');
    expect(s!.reasons).toContain('name.similar');
    expect(s!.score).toBe(30 + 10 + 15 + 15);
    expect(decideLink(probe('张强'), [c(1, '张伟')]).kind).toBe('review');
    // A surname that only sounds the same and a given name off as well: two characters
    // differ, not the same name (章丽 is not 张伟).
    expect(score('章强', '张伟')).toBeNull();
    expect(score('章丽', '张伟')).toBeNull();
    // A different surname (by character and by sound) does not either.
    expect(score('李伟', '张伟')).toBeNull();
  });
  it('reads a compound surname as a whole, and groups a surname character under all its readings', () => {
    expect(surnameSound('长孙明')).toBe('zhang');
    expect(surnameSound('张孙明')).toBe('zhang');
    expect(surnameSound('长')).toBe('chang');
    expect(surnameReadings('长')).toEqual(expect.arrayContaining(['chang', 'zhang']));
    expect(surnameReadings('单')).toEqual(expect.arrayContaining(['shan', 'dan']));
    expect(score('张孙明', '长孙明')!.reasons).toContain('name.sound');
  });
  it('reads names without their separators and Latin letters without case', () => {
    expect(score('阿依•木拉提', '阿依·木拉提')!.reasons).toContain('name.sound');
    expect(score('阿依木拉提', '阿依·木拉提')!.reasons).toContain('name.sound');
  });
  it('does not let the same address text overrule two different street codes', () => {
    const addr = '幸福小区3栋';
    const s = scoreCandidate(
      { ...probe('张伟'), address: addr },
      c(1, '张伟', { streetCode: '530111002', address: addr }),
    )!;
    expect(s.reasons).not.toContain('address');
    expect(s.reasons).not.toContain('street');
  });
  it('never merges twins with homophone names (张一, 张依: same day, same mother)', () => {
    const twins = [c(1, '张一'), c(2, '张依')];
    expect(decideLink(probe('张依'), twins)).toMatchObject({ kind: 'link', personId: 2 });
    expect(decideLink(probe('张一'), twins)).toMatchObject({ kind: 'link', personId: 1 });
    // A third spelling sounds like both: never guessed between twins.
    expect(decideLink(probe('张衣'), twins).kind).toBe('none');
    expect(decideLink(probe('章依'), twins).kind).toBe('none');
  });
});

describe('source precedence', () => {
  const origin = (source: string, at: string) => ({
    source,
    feed: `${source}-x`,
    record: `${source}-${at}`,
    at,
    import: 1,
  });
  it('lets police win the name over medical insurance, keeping a conflict', () => {
    const cur = { name: '张三' };
    const src = {};
    mergeFacts(cur, src, { name: '张三' }, origin('police', '2025-01-01 00:00:00'));
    const r = mergeFacts(cur, src, { name: '张叁' }, origin('medical-insurance', '2025-06-01 00:00:00'));
    expect(cur.name).toBe('张三');
    expect(r.conflicts).toEqual([
      { field: 'name', currentValue: '张三', currentSource: 'police', offeredValue: '张叁' },
    ]);
  });
  it('applies a newer record of the same source, ignores an older one', () => {
    const cur: Record<string, string | null> = {};
    const src = {};
    mergeFacts(cur, src, { street_code: '530102001' }, origin('police', '2025-01-01 00:00:00'));
    const newer = mergeFacts(cur, src, { street_code: '530102002' }, origin('police', '2025-02-01 00:00:00'));
    expect(newer.changes.length).toBe(1);
    const older = mergeFacts(cur, src, { street_code: '530102003' }, origin('police', '2024-01-01 00:00:00'));
    expect(older.changes.length + older.conflicts.length).toBe(0);
    expect(cur.street_code).toBe('530102002');
  });
  it('stores provenance compactly and reads it back', () => {
    const cur = {};
    const src = {};
    mergeFacts(cur, src, { name: '甲', sex: 'male' }, origin('police', '2025-01-01 00:00:00'));
    expect(decodeSources(encodeSources(src))).toEqual(src);
  });
});
