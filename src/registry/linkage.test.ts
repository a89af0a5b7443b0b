import { describe, expect, it } from 'vitest';
import { type Candidate, decideLink, editDistance } from './linkage.ts';
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
