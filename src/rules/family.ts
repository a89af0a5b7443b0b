/**
 * The family as the formulas see it: day numbers, birth orders and births (groups of children
 * born on the same day), computed once from validated input.
 */
import { parseIsoDate } from './dates.ts';
import type { EntitlementInput, ParentInput } from './input.ts';

export interface Child {
  /** Index in the input `children` array (the `child:N` subject). */
  index: number;
  birthDay: number;
  birthDate: string;
  order: number;
  /** Child's hukou county code (falls back to the family's), or null when neither is given. */
  area: string | null;
  adopted: boolean;
  difficult: boolean;
  /** Index into `Family.births`. */
  birth: number;
}

export interface Birth {
  day: number;
  date: string;
  /** Children of this birth (input indices, array order). */
  children: number[];
  /** The first child of the birth in array order: the subject of per-birth leave. */
  first: number;
  /** Babies born to the mother in this birth (adopted children excluded). */
  babies: number;
  /** Any non-adopted child of the birth carries difficultBirth. */
  difficult: boolean;
}

export interface Family {
  asOfDay: number;
  asOf: string;
  area: string | null;
  specialFamily: boolean;
  mother: ParentInput | null;
  father: ParentInput | null;
  children: Child[];
  births: Birth[];
  ownsHome: boolean;
  rents: boolean;
  contributesToHousingFund: boolean;
  buyingFirstHome: boolean;
}

/**
 * Birth orders by the contract: 1 + the number of the couple's children born on an earlier date;
 * children with the same birth date take consecutive orders in array order; an explicit
 * `birthOrder` overrides. `days` are birth days in input order.
 */
export function birthOrders(days: ArrayLike<number>, explicit: ArrayLike<number | undefined>): number[] {
  const n = days.length;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const e = explicit[i];
    if (e !== undefined) {
      out[i] = e;
      continue;
    }
    let o = 1;
    for (let j = 0; j < n; j++) {
      if (days[j] < days[i] || (days[j] === days[i] && j < i)) o++;
    }
    out[i] = o;
  }
  return out;
}

export function buildFamily(input: EntitlementInput): Family {
  const f = input.family;
  const days = f.children.map((c) => parseIsoDate(c.birthDate) as number);
  const orders = birthOrders(
    days,
    f.children.map((c) => c.birthOrder),
  );
  const byDay = new Map<number, number[]>();
  days.forEach((d, i) => {
    const g = byDay.get(d);
    if (g) g.push(i);
    else byDay.set(d, [i]);
  });
  const births: Birth[] = [];
  const birthOf = new Array<number>(days.length);
  for (const d of [...byDay.keys()].sort((a, b) => a - b)) {
    const idx = byDay.get(d) as number[];
    const natural = idx.filter((i) => !f.children[i].adopted);
    for (const i of idx) birthOf[i] = births.length;
    births.push({
      day: d,
      date: f.children[idx[0]].birthDate,
      children: idx,
      first: idx[0],
      babies: natural.length,
      difficult: natural.some((i) => f.children[i].difficultBirth),
    });
  }
  const children: Child[] = f.children.map((c, i) => ({
    index: i,
    birthDay: days[i],
    birthDate: c.birthDate,
    order: orders[i],
    area: c.hukouArea ?? f.hukouArea ?? null,
    adopted: c.adopted,
    difficult: c.difficultBirth,
    birth: birthOf[i],
  }));
  const h = f.housing;
  return {
    asOfDay: parseIsoDate(input.asOf) as number,
    asOf: input.asOf,
    area: f.hukouArea ?? null,
    specialFamily: f.specialFamily,
    mother: f.parents.find((p) => p.role === 'mother') ?? null,
    father: f.parents.find((p) => p.role === 'father') ?? null,
    children,
    births,
    ownsHome: h?.ownsHome ?? false,
    rents: h?.rents ?? false,
    contributesToHousingFund: h?.contributesToHousingFund ?? false,
    buyingFirstHome: h?.buyingFirstHome ?? false,
  };
}
