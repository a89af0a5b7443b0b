import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anniversaryDay, isoFromDays, parseIsoDate } from './dates.ts';
import { ENTITLEMENT_IDS } from './entitlements.ts';
import { computeEntitlements, entitlementInputJsonSchema } from './index.ts';
import { loadParameters, loadReform, policyDir } from './load.ts';
import { applyReform, compileParameters, entryAt, ParameterError } from './params.ts';
import { decide, NoRuleAppliesError, RuleConflictError, type RuleDef } from './rule.ts';

const P = loadParameters();
const day = (s: string) => parseIsoDate(s) as number;

describe('dates', () => {
  it('round-trips day numbers and rejects impossible dates', () => {
    for (const s of ['1970-01-01', '2000-02-29', '2024-02-29', '2025-12-31', '1900-01-01'])
      expect(isoFromDays(day(s))).toBe(s);
    for (const s of ['2023-02-29', '2023-02-30', '2024-13-01', '2024-00-10', '24-01-01', '2024-1-01', '']) {
      expect(parseIsoDate(s)).toBeNull();
    }
  });
  it('puts a 29 February anniversary on 1 March in common years', () => {
    expect(isoFromDays(anniversaryDay(day('2024-02-29'), 1))).toBe('2025-03-01');
    expect(isoFromDays(anniversaryDay(day('2024-02-29'), 4))).toBe('2028-02-29');
    expect(isoFromDays(anniversaryDay(day('2021-05-01'), 3))).toBe('2024-05-01');
  });
});

describe('rules: base case and exceptions', () => {
  const rule = (base: ((c: number) => number) | null, prio2 = 1): RuleDef<number, number> => ({
    id: 'test_rule',
    conditions: [],
    base,
    exceptions: [
      {
        id: 'a',
        priority: 1,
        when: { id: 'a', test: (c) => c > 0, text: () => ({ zh: 'a', en: 'a' }) },
        value: () => 1,
      },
      {
        id: 'b',
        priority: prio2,
        when: { id: 'b', test: (c) => c > 5, text: () => ({ zh: 'b', en: 'b' }) },
        value: () => 2,
      },
    ],
  });
  it('two exceptions that both apply with the same priority are a conflict', () => {
    expect(() =>
      decide(
        rule(() => 0),
        6,
      ),
    ).toThrow(RuleConflictError);
  });
  it('a higher-priority exception wins', () => {
    expect(
      decide(
        rule(() => 0, 2),
        6,
      ).value,
    ).toBe(2);
  });
  it('no base case and no exception applying is an error', () => {
    expect(() => decide(rule(null), 0)).toThrow(NoRuleAppliesError);
    expect(
      decide(
        rule(() => 9),
        0,
      ).value,
    ).toBe(9);
  });
  it('a defect of the rules surfaces as an issue from computeEntitlements, not a crash', () => {
    // A parameter set that leaves the two-child uplift without a value on asOf.
    const broken = applyReform(P, {
      name: 'uplift-from-2030',
      parameters: {
        'housing_fund.loan_uplift_two_children_percent': {
          values: [{ from: '2030-01-01', value: 20, citation: { source: 't', text: 't' } }],
        },
      },
    });
    const r = computeEntitlements(
      {
        asOf: '2024-06-30',
        family: {
          children: [{ birthDate: '2020-01-01' }, { birthDate: '2022-01-01' }],
          housing: { contributesToHousingFund: true, buyingFirstHome: true },
        },
      },
      broken,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0].code).toBe('rules.internal_error');
  });
  it('a child without a hukou area is not said to be in Yunnan (the subsidy is claimed at the hukou place)', () => {
    const r = computeEntitlements(
      {
        asOf: '2025-06-30',
        family: { parents: [{ role: 'mother', employed: true }], children: [{ birthDate: '2025-01-10' }] },
      },
      P,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const e = r.value.entitlements.find((x) => x.id === 'national_childcare_subsidy');
    const line = e?.explanation.find((l) => l.condition === 'claimed_in_yunnan');
    expect(line).toMatchObject({ holds: false, en: 'No hukou area given: claimed at the hukou place' });
    expect(e?.eligible).toBe(true);
  });
  it('the loan uplift does not depend on the rent-withdrawal minimum (a reform of one leaves the other)', () => {
    const reform = applyReform(P, {
      name: 'rent-withdrawal-from-one-child',
      parameters: {
        'housing_fund.rent_withdrawal_min_children': {
          values: [{ value: 1, citation: { source: 't', text: 't' } }],
        },
      },
    });
    const family = {
      asOf: '2024-06-30',
      family: {
        children: [{ birthDate: '2020-01-01' }],
        housing: { contributesToHousingFund: true, buyingFirstHome: true, rents: true },
      },
    };
    for (const [params, rent] of [
      [P, false],
      [reform, true],
    ] as const) {
      const r = computeEntitlements(family, params);
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      const byId = new Map(r.value.entitlements.map((e) => [e.id, e]));
      expect(byId.get('housing_fund_loan_uplift')).toMatchObject({ eligible: false, percent: 0 });
      expect(byId.get('housing_fund_rent_withdrawal')?.eligible).toBe(rent);
      const names = (byId.get('housing_fund_loan_uplift')?.parameters ?? []).map((p) => p.name);
      expect(names).not.toContain('housing_fund.rent_withdrawal_min_children');
    }
  });
});

describe('parameters', () => {
  it('holds money in integer fen and every value has a citation', () => {
    expect(entryAt(P, 'birth_subsidy.third_child', day('2024-01-01'))?.value).toBe(500000);
    for (const p of P.params.values()) {
      for (const e of p.entries) {
        expect(e.citation.source.length).toBeGreaterThan(0);
        expect(e.citation.text.length).toBeGreaterThan(0);
        if (p.unit === 'fen' && typeof e.value === 'number') expect(Number.isInteger(e.value)).toBe(true);
      }
    }
  });
  it('encodes the supersession of the local allowance as a dated, cited rule', () => {
    expect(entryAt(P, 'local_allowance.superseded_by_national_subsidy', day('2024-12-31'))).toBeUndefined();
    const e = entryAt(P, 'local_allowance.superseded_by_national_subsidy', day('2025-01-01'));
    expect(e?.value).toBe(true);
    expect(e?.citation.grade).toBe('S');
  });
  it('rejects a missing parameter and fractional fen', () => {
    expect(() => compileParameters([])).toThrow(ParameterError);
    expect(() =>
      applyReform(P, {
        name: 'x',
        parameters: {
          'birth_subsidy.second_child': { values: [{ value: 0.001, citation: { source: 's', text: 't' } }] },
        },
      }),
    ).toThrow(ParameterError);
  });
  it('reports every problem of a parameter file at once, each with its place and both languages', () => {
    const definition = {
      unit: 'yuan',
      description: { zh: '二孩一次性补贴', en: 'second-child subsidy' },
      values: [
        { from: '2023-02-30', value: -1, citation: { source: 'plan', text: 't', grade: 'X' } },
        { from: '2024-01-01', to: '2023-12-31', value: 2000, citation: { source: 'plan', text: 't' } },
        { from: '2023-06-01', value: 2000 },
      ],
    };
    let error: unknown;
    try {
      compileParameters([{ 'birth_subsidy.second_child': definition }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParameterError);
    const issues = (error as ParameterError).issues.map((i) => [i.path, i.code]);
    expect(issues).toEqual([
      ['birth_subsidy.second_child.values[0].from', 'invalid_date'],
      ['birth_subsidy.second_child.values[0].value', 'negative_amount'],
      ['birth_subsidy.second_child.values[0].citation.grade', 'invalid_value'],
      ['birth_subsidy.second_child.values[1]', 'invalid_period'],
      ['birth_subsidy.second_child.values[2].citation', 'required'],
    ]);
    for (const i of (error as ParameterError).issues) expect(i.message.zh).toMatch(/[\u4e00-\u9fff]/);
  });
  it('reform overlays splice periods without touching current law', () => {
    const R = loadReform(P, `${policyDir()}reforms/third-child-10000.yaml`);
    expect(entryAt(R, 'birth_subsidy.third_child', day('2025-06-01'))?.value).toBe(1000000);
    expect(entryAt(R, 'birth_subsidy.third_child', day('2024-06-01'))?.value).toBe(500000);
    expect(entryAt(P, 'birth_subsidy.third_child', day('2025-06-01'))?.value).toBe(500000);
    for (const f of readdirSync(`${policyDir()}reforms`)) loadReform(P, `${policyDir()}reforms/${f}`);
  });
  it('keeps policy numbers out of the formulas (no money literals in rules code)', () => {
    for (const f of ['entitlements.ts', 'batch.ts']) {
      // citation quotes (string literals) may repeat the plan's numbers; code may not
      const src = readFileSync(new URL(f, import.meta.url), 'utf8').replace(/'[^'\n]*'/g, "''");
      for (const n of ['200000', '500000', '80000', '30000', '5000', '158', '98', '3600']) {
        expect(src.includes(n), `${f} contains ${n}`).toBe(false);
      }
    }
  });
});

describe('calculator contract', () => {
  const sample = JSON.parse(
    '{"asOf":"2024-06-30","family":{"hukouArea":"530102","parents":[{"role":"mother","birthDate":"1992-04-01","employed":true,"onlyChild":false,"elderlyParentHospitalized":false},{"role":"father","birthDate":"1990-01-15","employed":true,"onlyChild":true,"elderlyParentHospitalized":true}],"children":[{"birthDate":"2019-05-01","hukouArea":"530102"},{"birthDate":"2024-03-15","hukouArea":"530102","difficultBirth":false}],"housing":{"ownsHome":false,"rents":true,"contributesToHousingFund":true,"buyingFirstHome":false}}}',
  );
  it('lists every id for every subject, with explanations in both languages', () => {
    const r = computeEntitlements(sample, P);
    if (!r.ok) throw new Error('invalid');
    const ids = new Set(r.value.entitlements.map((e) => e.id));
    for (const id of ENTITLEMENT_IDS) expect(ids.has(id)).toBe(true);
    expect(
      r.value.entitlements.filter((e) => e.id === 'one_time_birth_subsidy').map((e) => e.subject),
    ).toEqual(['child:0', 'child:1']);
    for (const e of r.value.entitlements) {
      expect(e.explanation.length).toBeGreaterThan(0);
      expect(e.citations.length).toBeGreaterThan(0);
      for (const l of e.explanation) expect(l.zh && l.en).toBeTruthy();
      if (!e.eligible) expect(e.explanation.some((l) => !l.holds)).toBe(true);
      for (const k of ['amountFen', 'days', 'minutesPerDay', 'percent']) {
        if (k in e) expect(Number.isInteger(e[k])).toBe(true);
        if (k in e && !e.eligible) expect(e[k]).toBe(0);
      }
    }
  });
  it('is deterministic', () => {
    expect(JSON.stringify(computeEntitlements(sample, P))).toBe(
      JSON.stringify(computeEntitlements(sample, P)),
    );
  });
  it('refuses a missing asOf and a non-object input with pointers', () => {
    const r = computeEntitlements({ family: {} }, P);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ path: '/asOf', code: 'input.required' });
    const r2 = computeEntitlements(null, P);
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.issues[0]).toMatchObject({ path: '', code: 'input.invalid_type' });
  });
  it('escapes odd field names in pointers', () => {
    const r = computeEntitlements({ asOf: '2024-01-01', family: { 'a/b~c': 1 } }, P);
    if (!r.ok) expect(r.issues[0].path).toBe('/family/a~1b~0c');
  });
  it('never throws on arbitrary JSON (fixed seed)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = computeEntitlements(v, P);
        expect(typeof r.ok).toBe('boolean');
      }),
      { seed: 11, numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.object({ maxDepth: 3 }), fc.anything(), (family, x) => {
        const r = computeEntitlements({ asOf: '2024-06-30', family: { ...family, children: [x] } }, P);
        if (!r.ok) for (const i of r.issues) expect(i.path.startsWith('/') || i.path === '').toBe(true);
      }),
      { seed: 12, numRuns: 500 },
    );
  });
  it('exports a JSON schema for the HTTP layer', () => {
    expect(entitlementInputJsonSchema).toMatchObject({ type: 'object', required: ['asOf', 'family'] });
  });
});
