/**
 * Random valid calculator inputs for property tests: boundary dates, births of one to three
 * children (twins, triplets), adoptions, explicit birth orders, counties inside and outside
 * Kunming, array order shuffled away from date order.
 */
import fc from 'fast-check';
import { isoFromDays, parseIsoDate } from './dates.ts';

export const day = (iso: string) => parseIsoDate(iso) as number;
const dateArb = (from: string, to: string) => fc.integer({ min: day(from), max: day(to) }).map(isoFromDays);
const areaArb = fc.constantFrom('530102', '530181', '530129', '530402', '110105', undefined);

export const familyArb = fc.record({
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

export type Gen = typeof familyArb extends fc.Arbitrary<infer T> ? T : never;

export function toInput(g: Gen): unknown {
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
