/**
 * Catala-style rules: a base case plus exceptions with priorities. The most specific (highest
 * priority) applicable exception wins; two applicable exceptions of the same priority are a
 * conflict, and a rule whose base case is absent with no exception applying has no answer — both
 * are errors, never silent defaults.
 */
import { share } from './shared.ts';

/** One line of an explanation: a condition, whether it held, and why, in both languages. */
export interface ExplanationLine {
  condition: string;
  holds: boolean;
  zh: string;
  en: string;
}

export interface Condition<C> {
  id: string;
  test(c: C): boolean;
  /**
   * Text for the explanation, given whether the condition held. Pure, and reads the context only
   * through its properties: a text that reads none is computed once and its line shared.
   */
  text(c: C, holds: boolean): { zh: string; en: string };
}

export interface Exception<C, V> {
  id: string;
  priority: number;
  when: Condition<C>;
  value(c: C): V;
}

export interface RuleDef<C, V> {
  id: string;
  /** Eligibility conditions: all must hold for anything to be due. */
  conditions: Condition<C>[];
  /** Facts shown in the explanation that do not gate eligibility (they shape the amount). */
  factors?: Condition<C>[];
  /** The base case; null when one of the exceptions must apply. */
  base: ((c: C) => V) | null;
  exceptions: Exception<C, V>[];
}

export class RuleConflictError extends Error {
  override name = 'RuleConflictError';
  constructor(
    readonly rule: string,
    readonly exceptions: string[],
  ) {
    super(`rule ${rule}: exceptions ${exceptions.join(', ')} both apply with the same priority`);
  }
}

export class NoRuleAppliesError extends Error {
  override name = 'NoRuleAppliesError';
  constructor(readonly rule: string) {
    super(`rule ${rule}: no base case and no exception applies`);
  }
}

export interface Decision<V> {
  /** Whether every eligibility condition held (the value may still be zero). */
  conditionsHold: boolean;
  /** The value decided, or null when a condition failed. */
  value: V | null;
  /** Which case decided: 'base' or the exception id. */
  decidedBy: string | null;
  explanation: ExplanationLine[];
}

/** A context that throws on any look at it: the probe for texts that do not depend on it. */
const PROBE: unknown = new Proxy(
  {},
  {
    get() {
      throw PROBE_READ;
    },
    has() {
      throw PROBE_READ;
    },
    ownKeys() {
      throw PROBE_READ;
    },
    getOwnPropertyDescriptor() {
      throw PROBE_READ;
    },
    getPrototypeOf() {
      throw PROBE_READ;
    },
  },
);
const PROBE_READ = new Error('the explanation reads its context');

/** Per condition: the line for `holds` false and true when its text does not read the context. */
const FIXED_LINES = new WeakMap<object, [ExplanationLine | null, ExplanationLine | null]>();

function fixedLine<C>(cond: Condition<C>, holds: boolean): ExplanationLine | null {
  let pair = FIXED_LINES.get(cond);
  if (pair === undefined) {
    // Texts are pure: one that reads nothing of the context says the same for every family, so
    // its line is made once and shared between answers.
    const probe = (h: boolean): ExplanationLine | null => {
      try {
        const t = cond.text(PROBE as C, h);
        return share({ condition: cond.id, holds: h, zh: t.zh, en: t.en });
      } catch {
        return null;
      }
    };
    pair = [probe(false), probe(true)];
    FIXED_LINES.set(cond, pair);
  }
  return pair[holds ? 1 : 0];
}

function line<C>(cond: Condition<C>, c: C, holds: boolean): ExplanationLine {
  const fixed = fixedLine(cond, holds);
  if (fixed !== null) return fixed;
  const t = cond.text(c, holds);
  return { condition: cond.id, holds, zh: t.zh, en: t.en };
}

/** Evaluate a rule for a context. Throws RuleConflictError / NoRuleAppliesError. */
export function decide<C, V>(rule: RuleDef<C, V>, c: C): Decision<V> {
  const explanation: ExplanationLine[] = [];
  let all = true;
  for (const cond of rule.conditions) {
    const holds = cond.test(c);
    explanation.push(line(cond, c, holds));
    if (!holds) all = false;
  }
  for (const f of rule.factors ?? []) explanation.push(line(f, c, f.test(c)));
  if (!all) return { conditionsHold: false, value: null, decidedBy: null, explanation };

  let best: Exception<C, V>[] = [];
  for (const ex of rule.exceptions) {
    const holds = ex.when.test(c);
    explanation.push(line(ex.when, c, holds));
    if (!holds) continue;
    if (best.length === 0 || ex.priority > best[0].priority) best = [ex];
    else if (ex.priority === best[0].priority) best.push(ex);
  }
  if (best.length > 1)
    throw new RuleConflictError(
      rule.id,
      best.map((e) => e.id),
    );
  if (best.length === 1)
    return { conditionsHold: true, value: best[0].value(c), decidedBy: best[0].id, explanation };
  if (rule.base === null) throw new NoRuleAppliesError(rule.id);
  return { conditionsHold: true, value: rule.base(c), decidedBy: 'base', explanation };
}
