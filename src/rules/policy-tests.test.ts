import { describe, expect, it } from 'vitest';
import { computeEntitlements, type Entitlement } from './index.ts';
import { loadParameters, loadYamlDir, policyDir } from './load.ts';

interface Case {
  name: string;
  asOf: unknown;
  family: unknown;
  expect?: Array<Record<string, unknown>>;
  expectIssues?: Array<{ path: string; code: string }>;
}

const params = loadParameters();
const files = loadYamlDir(`${policyDir()}tests`);
let total = 0;

for (const { file, data } of files) {
  const cases = (data as { cases: Case[] }).cases;
  total += cases.length;
  describe(file.split('/').pop() as string, () => {
    for (const c of cases) {
      it(c.name, () => {
        const r = computeEntitlements({ asOf: c.asOf, family: c.family }, params);
        if (c.expectIssues) {
          expect(r.ok).toBe(false);
          if (r.ok) return;
          for (const want of c.expectIssues) {
            expect(r.issues).toContainEqual(expect.objectContaining(want));
          }
          return;
        }
        if (!r.ok) throw new Error(JSON.stringify(r.issues));
        for (const want of c.expect ?? []) {
          const got = r.value.entitlements.find(
            (e: Entitlement) => e.id === want.id && e.subject === want.subject,
          );
          expect(got, `${want.id} ${want.subject}`).toBeDefined();
          expect(got).toMatchObject(want);
        }
      });
    }
  });
}

describe('policy test suite', () => {
  it('has at least 80 cases', () => {
    expect(total).toBeGreaterThanOrEqual(80);
  });
});
