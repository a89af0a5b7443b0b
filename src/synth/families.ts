/**
 * Views of the synthetic city for other code: an async iterator of households, and families
 * with their children in the shape the budget simulation reads.
 */
import { generateCity } from './generate.ts';
import type { SynthHousehold, SynthOptions, SynthPerson } from './model.ts';
import { DEFAULT_AS_OF } from './params.ts';

export type BudgetFamily = {
  /** Management area of the family's hukou (father's, else mother's); null outside Kunming. */
  hukouArea: string | null;
  parents: Array<{ role: 'father' | 'mother'; birthDate: string; employed: boolean; onlyChild: boolean }>;
  children: Array<{ birthDate: string; hukouArea: string | null }>;
};

/**
 * Households one by one, as an async iterator (the generator pauses while the consumer works).
 * Stop early with `break` and the rest of the city is simply never generated.
 */
export async function* iterateHouseholds(options: SynthOptions): AsyncGenerator<SynthHousehold> {
  let pending: SynthHousehold[] = [];
  let wake: (() => void) | null = null;
  let resume: (() => void) | null = null;
  let done = false;
  let failure: unknown = null;
  void generateCity(options, {
    household(h) {
      pending.push(h);
      wake?.();
      if (pending.length >= 256) return new Promise<void>((r) => (resume = r));
      return undefined;
    },
  }).then(
    () => {
      done = true;
      wake?.();
    },
    (e: unknown) => {
      failure = e ?? new Error('generation failed');
      done = true;
      wake?.();
    },
  );
  for (;;) {
    if (pending.length > 0) {
      const batch = pending;
      pending = [];
      const r = resume as (() => void) | null;
      resume = null;
      r?.();
      yield* batch;
      continue;
    }
    if (failure) throw failure;
    if (done) return;
    await new Promise<void>((r) => (wake = r));
    wake = null;
  }
}

const alive = (p: SynthPerson, asOf: string): boolean =>
  (!p.deathDate || p.deathDate > asOf) && (!p.outDate || p.outDate > asOf) && p.birthDate <= asOf;

/** Families (a mother, her husband if he lives there, her children living with her) of a household. */
export function familiesOf(h: SynthHousehold, asOf = DEFAULT_AS_OF): BudgetFamily[] {
  const out: BudgetFamily[] = [];
  for (const mother of h.members) {
    if (mother.sex !== 'female' || !alive(mother, asOf)) continue;
    const children = h.members.filter((c) => c.motherPid === mother.pid && alive(c, asOf));
    if (children.length === 0) continue;
    const father = h.members.find((m) => m.pid === mother.spousePid && alive(m, asOf));
    const parents: BudgetFamily['parents'] = [];
    if (father)
      parents.push({
        role: 'father',
        birthDate: father.birthDate,
        employed: father.employed,
        onlyChild: father.onlyChild,
      });
    parents.push({
      role: 'mother',
      birthDate: mother.birthDate,
      employed: mother.employed,
      onlyChild: mother.onlyChild,
    });
    out.push({
      hukouArea: father?.hukouArea ?? mother.hukouArea,
      parents,
      children: children
        .sort((a, b) => (a.birthDate < b.birthDate ? -1 : a.birthDate > b.birthDate ? 1 : 0))
        .map((c) => ({ birthDate: c.birthDate, hukouArea: c.hukouArea })),
    });
  }
  return out;
}

/** Every family of the city with children living with them on the as-of date. */
export async function* generateFamilies(options: SynthOptions): AsyncGenerator<BudgetFamily> {
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  for await (const h of iterateHouseholds(options)) yield* familiesOf(h, asOf);
}
