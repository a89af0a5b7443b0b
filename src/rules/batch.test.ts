import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnsBuilder, evaluateBatch } from './batch.ts';
import { entitlementsFor } from './entitlements.ts';
import { validateEntitlementInput } from './input.ts';
import { loadParameters, loadReform, policyDir } from './load.ts';
import { applyReform } from './params.ts';
import { syntheticPopulation } from './population.ts';
import { day, familyArb, type Gen, toInput } from './test-families.ts';

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
const thirdChildReform = loadReform(current, `${policyDir()}reforms/third-child-10000.yaml`);

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
    for (const P of [withCounty, windowReform, allowanceReform, thirdChildReform]) {
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
