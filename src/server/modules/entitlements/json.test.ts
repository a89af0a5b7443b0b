import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import contractFamily from '../../../../policy/examples/contract-family.json' with { type: 'json' };
import { computeEntitlements } from '../../../rules/index.ts';
import { loadParameters, loadReform, policyDir } from '../../../rules/load.ts';
import { share } from '../../../rules/shared.ts';
import { familyArb, toInput } from '../../../rules/test-families.ts';
import { entitlementsJson } from './json.ts';

const current = loadParameters();
const reform = loadReform(current, `${policyDir()}reforms/window-to-2027.yaml`);

function same(x: unknown): void {
  expect(entitlementsJson(x).toString('utf8')).toBe(JSON.stringify(x));
  expect(entitlementsJson(x).equals(Buffer.from(JSON.stringify(x)))).toBe(true);
}

describe('entitlementsJson', () => {
  it('gives the bytes of JSON.stringify for the contract family', () => {
    const r = computeEntitlements(contractFamily, current);
    if (!r.ok) throw new Error('invalid');
    same(r.value);
    // twice: the second answer reuses the encoded shared parts
    const again = computeEntitlements(contractFamily, current);
    if (!again.ok) throw new Error('invalid');
    same(again.value);
  });

  it('gives the bytes of JSON.stringify for random families, under current law and a reform (fixed seed)', () => {
    fc.assert(
      fc.property(familyArb, (g) => {
        for (const P of [current, reform]) {
          const r = computeEntitlements(toInput(g), P);
          if (!r.ok) throw new Error(JSON.stringify(r.issues));
          same(r.value);
        }
      }),
      { seed: 21, numRuns: 150 },
    );
  });

  it('writes any plain data as JSON.stringify does', () => {
    const shared = share({ text: 'shared "quoted" 文本', n: 1 });
    same({
      a: 'plain',
      b: 'needs "escaping" \\ and \n newlines \u0001',
      c: 'lone surrogate \ud800 and a pair 😀',
      d: '中文与 English',
      e: [1, -0, 1.5e300, Number.NaN, Number.POSITIVE_INFINITY, null, undefined, () => 1, true],
      f: undefined,
      g: () => 1,
      h: { nested: [{ x: [] }, {}], date: new Date(0) },
      i: Object.assign(Object.create(null), { z: 1, y: 'two' }),
      j: [shared, shared, { shared }],
      k: { toJSON: () => 'custom' },
      '"odd key"': 1,
      2: 'integer-like key comes first',
    });
    same([]);
    same('a string');
    same(null);
    same(fc.sample(fc.jsonValue(), { seed: 3, numRuns: 200 }));
    expect(() => entitlementsJson({ big: 1n })).toThrow(TypeError);
  });
});
