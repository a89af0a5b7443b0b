import { describe, expect, it } from 'vitest';
import contractFamily from '../../policy/examples/contract-family.json' with { type: 'json' };
import { computeEntitlements } from './index.ts';
import { loadParameters } from './load.ts';
import { applyReform, type Citation } from './params.ts';
import { decide, type RuleDef } from './rule.ts';
import { isShared } from './shared.ts';

const P = loadParameters();

function answer(input: unknown, params = P) {
  const r = computeEntitlements(input, params);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

const key = (c: Citation) => [c.source, c.clause, c.text].join('|');
const full = (c: Citation) => [c.source, c.clause, c.text, c.grade, c.document].join('|');

describe('parts shared between answers', () => {
  it('parameter sets are frozen once built', () => {
    for (const p of P.params.values()) {
      for (const e of p.entries) {
        expect(Object.isFrozen(e.citation)).toBe(true);
        if (typeof e.value === 'object') expect(Object.isFrozen(e.value)).toBe(true);
      }
    }
  });

  it('clauses and parameter lists are frozen, shared, and each parameter points at its clause', () => {
    const a = answer(contractFamily);
    for (const e of a.entitlements) {
      expect(isShared(e.citations)).toBe(true);
      expect(isShared(e.parameters)).toBe(true);
      for (const p of e.parameters) {
        const listed = e.citations[p.citationIndex];
        expect(listed).toBeDefined();
        const own = P.params.get(p.name)?.entries.find((x) => x.from === p.from)?.citation as Citation;
        expect(key(listed)).toBe(key(own));
        // the parameter's own citation is repeated only where the listed one says less
        if (full(listed) === full(own)) expect(p.citation).toBeUndefined();
        else expect(p.citation).toEqual(own);
      }
      for (const l of e.explanation) if (isShared(l)) expect(Object.isFrozen(l)).toBe(true);
    }
    // the shared lists and fixed lines are the same objects from one answer to the next
    const b = answer(contractFamily);
    expect(b.entitlements[0].citations).toBe(a.entitlements[0].citations);
    expect(
      b.entitlements.some((e, i) => e.explanation.some((l, j) => l === a.entitlements[i].explanation[j])),
    ).toBe(true);
  });

  it('one family never changes the answer for another', () => {
    const first = JSON.stringify(answer(contractFamily));
    answer({
      asOf: '2025-03-01',
      family: {
        hukouArea: '110105',
        specialFamily: true,
        parents: [{ role: 'mother', employed: true }],
        children: [
          { birthDate: '2024-02-29', adopted: true },
          { birthDate: '2025-01-10', difficultBirth: true },
          { birthDate: '2025-01-10' },
        ],
      },
    });
    answer(contractFamily, applyReform(P, { name: 'x', parameters: {} }));
    expect(JSON.stringify(answer(contractFamily))).toBe(first);
  });

  it('shares an explanation line only when its text does not read the context', () => {
    type C = { n: number };
    const rule: RuleDef<C, number> = {
      id: 'r',
      conditions: [
        { id: 'fixed', test: () => true, text: (_c, h) => ({ zh: h ? '是' : '否', en: h ? 'yes' : 'no' }) },
        { id: 'reads', test: () => true, text: (c) => ({ zh: `${c.n}`, en: `${c.n}` }) },
      ],
      base: (c) => c.n,
      exceptions: [],
    };
    const a = decide(rule, { n: 1 });
    const b = decide(rule, { n: 2 });
    expect(a.explanation[0]).toBe(b.explanation[0]);
    expect(isShared(a.explanation[0])).toBe(true);
    expect(a.explanation[1]).toEqual({ condition: 'reads', holds: true, zh: '1', en: '1' });
    expect(b.explanation[1]).toEqual({ condition: 'reads', holds: true, zh: '2', en: '2' });
    expect(isShared(a.explanation[1])).toBe(false);
  });
});
