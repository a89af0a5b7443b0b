/**
 * Every citation of the plan quotes it: each fragment of its text (fragments joined by "…" or
 * "；") appears in the plan's own text, within the clause it names (二(四)11 → the paragraph
 * "11."), punctuation aside (the plan file writes ASCII commas and brackets inside Chinese text).
 * Parameters (policy/parameters) and the rules' own citations (seen through the calculator's
 * answers, which carry every citation a rule uses) alike.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeEntitlements } from './index.ts';
import { loadParameters } from './load.ts';

const PLAN_FILE = new URL('../../../shared/policy/kunming-fertility-plan.txt', import.meta.url);
const plan = readFileSync(PLAN_FILE, 'utf8');

/** Punctuation and spaces out, full- and half-width alike: what is left is the wording. */
const words = (s: string) => s.replace(/[\s,，.。;；:：、!！?？()（）“”"'‘’《》〈〉「」【】\-—–]/g, '');

/** The plan's paragraphs of a numbered clause (二(四)11 → "11.…"; 二(五)17–18 → 17 and 18), or the whole plan. */
function clauseText(clause: string): string {
  const nums = [...clause.matchAll(/\d+/g)].map((m) => Number(m[0]));
  if (nums.length === 0) return plan;
  const [from, to = from] = nums;
  return plan
    .split('\n')
    .filter((l) => {
      const n = Number(/^(\d+)\./.exec(l)?.[1]);
      return n >= from && n <= to;
    })
    .join('\n');
}

type Cited = { where: string; clause: string | undefined; text: string };

function fragments(text: string): string[] {
  return text
    .split(/…|；/)
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
}

const P = loadParameters();
const fromParameters: Cited[] = [];
for (const [name, p] of P.params)
  for (const [i, e] of p.entries.entries())
    if (e.citation.source === 'kunming-fertility-plan')
      fromParameters.push({
        where: `${name}.values[${i}]`,
        clause: e.citation.clause,
        text: e.citation.text,
      });

const family = (extra: Record<string, unknown>) => ({
  asOf: '2025-06-30',
  family: {
    hukouArea: '530102',
    specialFamily: true,
    parents: [
      {
        role: 'mother',
        birthDate: '1992-04-01',
        employed: true,
        onlyChild: true,
        elderlyParentHospitalized: true,
      },
      { role: 'father', birthDate: '1990-01-15', employed: true, elderlyParentHospitalized: true },
    ],
    children: [
      { birthDate: '2019-05-01', hukouArea: '530102' },
      { birthDate: '2023-03-15', hukouArea: '530102' },
      { birthDate: '2025-03-15', hukouArea: '530102' },
    ],
    housing: { rents: true, contributesToHousingFund: true, buyingFirstHome: true },
    ...extra,
  },
});
const fromRules: Cited[] = [];
const answer = computeEntitlements(family({}), P);
if (!answer.ok) throw new Error(JSON.stringify(answer));
for (const e of answer.value.entitlements) {
  for (const c of e.citations)
    if (c.source === 'kunming-fertility-plan')
      fromRules.push({ where: `${e.id} (${e.subject})`, clause: c.clause, text: c.text });
  // A special family's services, each with the plan's sentence for it.
  const services = (e as { services?: Array<{ id: string; clause: string; text: string }> }).services ?? [];
  for (const s of services) fromRules.push({ where: `${e.id}: ${s.id}`, clause: s.clause, text: s.text });
}

describe('citations of the plan quote the plan', () => {
  it('finds citations to check (parameters and rules)', () => {
    expect(fromParameters.length).toBeGreaterThan(10);
    expect(new Set(fromRules.map((c) => c.where.split(' ')[0])).size).toBeGreaterThan(10);
    expect(fromRules.filter((c) => c.where.startsWith('special_family_support:')).length).toBe(11);
  });

  it.each([...fromParameters, ...fromRules].map((c) => [c.where, c] as const))('%s', (_, c) => {
    expect(c.clause, 'a citation of the plan names its clause').toBeTruthy();
    const within = words(clauseText(c.clause ?? ''));
    expect(within.length, `clause ${c.clause} found in the plan`).toBeGreaterThan(0);
    for (const f of fragments(c.text)) expect(within, `"${f}" in ${c.clause}`).toContain(words(f));
  });
});
