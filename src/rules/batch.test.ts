import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnsBuilder, evaluateBatch } from './batch.ts';
import { isoFromDays, parseIsoDate } from './dates.ts';
import { entitlementsFor } from './entitlements.ts';
import { validateEntitlementInput } from './input.ts';
import { loadParameters, loadReform, policyDir } from './load.ts';
import { applyReform } from './params.ts';
import { syntheticPopulation } from './population.ts';

const current = loadParameters();
const withCounty = applyReform(current, {
  name: 'county-purchase-support',
  parameters: {
    'housing_purchase_support.by_county': {
      values: [
        {
          value: { '530102': 10000, '530181': 5000 },
          citation: { source: 'test', text: 'test county scheme' },
        },
      ],
    },
  },
});
const windowReform = loadReform(current, `${policyDir()}reforms/window-to-2027.yaml`);
const allowanceReform = loadReform(current, `${policyDir()}reforms/allowance-raised.yaml`);

const day = (iso: string) => parseIsoDate(iso) as number;
const dateArb = (from: string, to: string) => fc.integer({ min: day(from), max: day(to) }).map(isoFromDays);
const areaArb = fc.constantFrom('530102', '530181', '530129', '530402', '110105', undefined);

const familyArb = fc.record({
  asOf: fc.oneof(
    dateArb('2020-01-01', '2029-12-31'),
    fc.constantFrom('2025-02-28', '2024-02-29', '2025-12-31'),
  ),
  hukouArea: areaArb,
  specialFamily: fc.boolean(),
  mother: fc.option(
    fc.record({ employed: fc.boolean(), onlyChild: fc.boolean(), elderlyParentHospitalized: fc.boolean() }),
  ),
  father: fc.option(
    fc.record({ employed: fc.boolean(), onlyChild: fc.boolean(), elderlyParentHospitalized: fc.boolean() }),
  ),
  births: fc.array(
    fc.record({
      date: fc.oneof(
        dateArb('2004-01-01', '2029-12-31'),
        fc.constantFrom('2022-12-31', '2023-01-01', '2025-12-31', '2026-01-01', '2024-02-29', '2020-02-29'),
      ),
      children: fc.array(
        fc.record({
          hukouArea: areaArb,
          adopted: fc.integer({ min: 0, max: 7 }).map((x) => x === 0),
          difficultBirth: fc.boolean(),
          birthOrder: fc.option(fc.integer({ min: 1, max: 6 }), { freq: 8 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    { maxLength: 5 },
  ),
  housing: fc.option(
    fc.record({
      ownsHome: fc.boolean(),
      rents: fc.boolean(),
      contributesToHousingFund: fc.boolean(),
      buyingFirstHome: fc.boolean(),
    }),
  ),
  shuffle: fc.integer({ min: 0, max: 1000 }),
});

type Gen = typeof familyArb extends fc.Arbitrary<infer T> ? T : never;

function toInput(g: Gen): unknown {
  const children = g.births.flatMap((b) =>
    b.children.map((c) => {
      const o: Record<string, unknown> = {
        birthDate: b.date,
        adopted: c.adopted,
        difficultBirth: c.difficultBirth,
      };
      if (c.hukouArea) o.hukouArea = c.hukouArea;
      if (c.birthOrder !== null) o.birthOrder = c.birthOrder;
      return o;
    }),
  );
  // deterministic shuffle so that array order differs from date order
  for (let i = children.length - 1; i > 0; i--) {
    const j = (g.shuffle * (i + 7)) % (i + 1);
    [children[i], children[j]] = [children[j], children[i]];
  }
  const parents: unknown[] = [];
  if (g.mother) parents.push({ role: 'mother', ...g.mother });
  if (g.father) parents.push({ role: 'father', ...g.father });
  const family: Record<string, unknown> = { specialFamily: g.specialFamily, parents, children };
  if (g.hukouArea) family.hukouArea = g.hukouArea;
  if (g.housing) family.housing = g.housing;
  return { asOf: g.asOf, family };
}

function check(g: Gen, P: typeof current): void {
  const v = validateEntitlementInput(toInput(g));
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  const single = entitlementsFor(v.value, P);
  const b = new ColumnsBuilder(2, 4);
  b.addFamily(v.value.family);
  const cols = b.build();
  const r = evaluateBatch(cols, P, day(v.value.asOf), { perSubject: true });
  const o = r.perSubject!;
  const slotOf = new Map<number, number>();
  for (let s = 0; s < cols.childCount; s++) slotOf.set(cols.childInputIndex[s], s);
  const n = cols.childCount;
  const want = {
    oneTime: new Int32Array(n),
    allowance: new Int32Array(n),
    national: new Int32Array(n),
    insurance: new Int32Array(n),
    iit: new Int32Array(n),
    maternity: new Int32Array(n),
    paternity: new Int32Array(n),
  };
  const fam: Record<string, number> = {};
  for (const e of single.entitlements) {
    const value = e.eligible ? (e.amountFen ?? e.days ?? e.minutesPerDay ?? e.percent ?? 1) : 0;
    if (e.subject.startsWith('child:')) {
      const s = slotOf.get(Number(e.subject.slice(6))) as number;
      const key = {
        one_time_birth_subsidy: 'oneTime',
        local_childcare_allowance: 'allowance',
        national_childcare_subsidy: 'national',
        infant_accident_insurance_subsidy: 'insurance',
        iit_infant_care_deduction: 'iit',
        maternity_leave: 'maternity',
        paternity_leave: 'paternity',
      }[e.id as string] as keyof typeof want;
      want[key][s] = value;
    } else {
      fam[`${e.id}:${e.subject}`] = value;
    }
  }
  for (const k of Object.keys(want) as Array<keyof typeof want>)
    expect([k, ...o[k]]).toEqual([k, ...want[k]]);
  expect({
    parentalMother: o.parentalMother[0],
    parentalFather: o.parentalFather[0],
    nursing: o.nursing[0],
    elderMother: o.elderMother[0],
    elderFather: o.elderFather[0],
    uplift: o.uplift[0],
    rent: o.rent[0],
    publicRental: o.publicRental[0],
    guaranteed: o.guaranteed[0],
    purchase: o.purchase[0],
    school: o.school[0],
    elderly: o.elderly[0],
    special: o.special[0],
  }).toEqual({
    parentalMother: fam['parental_leave:mother'],
    parentalFather: fam['parental_leave:father'],
    nursing: fam['nursing_time:mother'],
    elderMother: fam['elder_care_leave:mother'],
    elderFather: fam['elder_care_leave:father'],
    uplift: fam['housing_fund_loan_uplift:family'],
    rent: fam['housing_fund_rent_withdrawal:family'],
    publicRental: fam['public_rental_housing_preference:family'],
    guaranteed: fam['guaranteed_rental_housing_tilt:family'],
    purchase: fam['housing_purchase_support:family'],
    school: fam['school_sibling_placement:family'],
    elderly: fam['elderly_care_priority:family'],
    special: fam['special_family_support:family'],
  });
}

describe('batch path equals the one-family path', () => {
  it('current law, random families (fixed seed)', () => {
    fc.assert(
      fc.property(familyArb, (g) => check(g, current)),
      { seed: 20250101, numRuns: 1500 },
    );
  });
  it('with a county purchase scheme and the reforms', () => {
    for (const P of [withCounty, windowReform, allowanceReform]) {
      fc.assert(
        fc.property(familyArb, (g) => check(g, P)),
        { seed: 7, numRuns: 400 },
      );
    }
  });
});

describe('batch over a synthetic city', () => {
  it('is deterministic and totals are integers in fen', () => {
    const a = syntheticPopulation({ persons: 50_000, seed: 3 });
    const b = syntheticPopulation({ persons: 50_000, seed: 3 });
    expect(a.childBirthDay).toEqual(b.childBirthDay);
    const r = evaluateBatch(a, current, day('2025-12-31'), { budgetYear: true });
    for (const v of r.amount) expect(Number.isInteger(v)).toBe(true);
    expect(r.amount[2]).toBeGreaterThan(0);
  });
});
