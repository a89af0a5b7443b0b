/**
 * Public surface of the rules engine: the calculator contract (`computeEntitlements`), its input
 * validator and schema, parameters, and the batch path for budget runs.
 */
import { type EntitlementsOutput, entitlementsFor } from './entitlements.ts';
import { type Issue, parseEntitlementInputText, type Result, validateEntitlementInput } from './input.ts';
import type { ParameterSet } from './params.ts';
import { NoRuleAppliesError, RuleConflictError } from './rule.ts';

export * from './batch.ts';
export {
  ENTITLEMENT_IDS,
  type Entitlement,
  type EntitlementId,
  type EntitlementsOutput,
} from './entitlements.ts';
export {
  type EntitlementInput,
  entitlementInputJsonSchema,
  type Issue,
  parseEntitlementInputText,
  type Result,
  validateEntitlementInput,
} from './input.ts';
export { applyReform, compileParameters, ParameterError, type ParameterSet } from './params.ts';
export { NoRuleAppliesError, RuleConflictError } from './rule.ts';

/**
 * The family entitlement calculator (contract v1). Validates `input`; on success returns every
 * entitlement with explanations, otherwise field-level issues (JSON pointers, zh-CN and en).
 * Never throws and never returns partial output.
 */
export function computeEntitlements(input: unknown, params: ParameterSet): Result<EntitlementsOutput> {
  try {
    const v = validateEntitlementInput(input);
    if (!v.ok) return v;
    return { ok: true, value: entitlementsFor(v.value, params) };
  } catch (err) {
    const issue: Issue =
      err instanceof RuleConflictError
        ? {
            code: 'rules.conflict',
            path: '',
            message: { zh: `规则冲突：${err.message}`, en: `Conflicting rules: ${err.message}` },
          }
        : err instanceof NoRuleAppliesError
          ? {
              code: 'rules.no_rule_applies',
              path: '',
              message: { zh: `没有适用的规则：${err.message}`, en: `No rule applies: ${err.message}` },
            }
          : {
              code: 'rules.internal_error',
              path: '',
              message: {
                zh: `计算出错：${err instanceof Error ? err.message : String(err)}`,
                en: `Calculation failed: ${err instanceof Error ? err.message : String(err)}`,
              },
            };
    return { ok: false, issues: [issue] };
  }
}

/**
 * The calculator from the input's JSON text (a CLI file, a request body): parsed by
 * `parseEntitlementInputText`, then `computeEntitlements`. One path, so both callers give the same
 * reasons for the same text.
 */
export function computeEntitlementsFromText(text: string, params: ParameterSet): Result<EntitlementsOutput> {
  const parsed = parseEntitlementInputText(text);
  return parsed.ok ? computeEntitlements(parsed.value, params) : parsed;
}

/**
 * True when the issues are a defect of the rules (`rules.*`: a conflict, no rule, an exception)
 * rather than of the input: the HTTP route answers 500 and the CLI exits 1, not 400 / 2.
 */
export function isRulesFault(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.code.startsWith('rules.'));
}

/**
 * Issues as both problem documents carry them (HTTP 400 body, CLI stderr): path, code and the
 * reason in zh-CN and en. One mapping, so that the CLI and the API give the same reasons.
 */
export function problemErrors(
  issues: readonly Issue[],
): Array<{ path: string; code: string; message: { 'zh-CN': string; en: string } }> {
  return issues.map((i) => ({
    path: i.path,
    code: i.code,
    message: { 'zh-CN': i.message.zh, en: i.message.en },
  }));
}
