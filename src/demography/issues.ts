/**
 * Structured issues: the demography library never throws on bad input; it returns a list of
 * `{code, path, message, params}` (the style of Zod's issues, see docs/architecture.md §2).
 * Messages exist in English and Simplified Chinese; `message` carries the English text.
 */

/** Every issue code the demography library can return (a closed set). */
export type IssueCode =
  | 'projection.not_an_object'
  | 'projection.missing_field'
  | 'projection.not_a_number'
  | 'projection.not_an_integer'
  | 'projection.out_of_range'
  | 'projection.not_finite'
  | 'projection.negative_value'
  | 'projection.length_mismatch'
  | 'projection.not_an_array'
  | 'projection.fertility_range'
  | 'projection.invalid_timing'
  | 'projection.open_age_rate_zero'
  | 'projection.negative_population'
  | 'projection.invalid_group_width'
  | 'lifetable.invalid_rates'
  | 'lifetable.invalid_ages'
  | 'mortality.target_unreachable'
  | 'mortality.invalid_model'
  | 'fertility.invalid_shape'
  | 'fertility.invalid_shares'
  | 'indicator.zero_denominator'
  | 'indicator.invalid_value'
  | 'money.not_safe_integer'
  | 'stochastic.invalid_parameters';

/** A path into the input, e.g. `['population', 'female', 3]`. */
export type IssuePath = ReadonlyArray<string | number>;

/** One problem found in the input (or one warning about the output). */
export type Issue = {
  code: IssueCode;
  path: IssuePath;
  /** English message; use {@link issueMessage} for zh-CN. */
  message: string;
  params: Record<string, unknown>;
};

/** Supported message languages. */
export type Locale = 'en' | 'zh-CN';

type Params = Record<string, unknown>;
type Template = (p: Params) => string;

const s = (v: unknown): string => String(v);

const MESSAGES: Record<IssueCode, { en: Template; 'zh-CN': Template }> = {
  'projection.not_an_object': {
    en: () => 'must be a JSON object',
    'zh-CN': () => '必须是 JSON 对象',
  },
  'projection.missing_field': {
    en: () => 'is required',
    'zh-CN': () => '为必填项',
  },
  'projection.not_a_number': {
    en: (p) => `must be a number (got ${s(p.got)})`,
    'zh-CN': (p) => `必须是数字（实际为 ${s(p.got)}）`,
  },
  'projection.not_an_integer': {
    en: (p) => `must be an integer (got ${s(p.got)})`,
    'zh-CN': (p) => `必须是整数（实际为 ${s(p.got)}）`,
  },
  'projection.out_of_range': {
    en: (p) => `must be between ${s(p.min)} and ${s(p.max)} (got ${s(p.got)})`,
    'zh-CN': (p) => `必须在 ${s(p.min)} 与 ${s(p.max)} 之间（实际为 ${s(p.got)}）`,
  },
  'projection.not_finite': {
    en: (p) => `must be a finite number (got ${s(p.got)})`,
    'zh-CN': (p) => `必须是有限数值（实际为 ${s(p.got)}）`,
  },
  'projection.negative_value': {
    en: (p) => `must not be negative (got ${s(p.got)})`,
    'zh-CN': (p) => `不得为负数（实际为 ${s(p.got)}）`,
  },
  'projection.length_mismatch': {
    en: (p) => `must have ${s(p.expected)} values (openAge + 1), got ${s(p.got)}`,
    'zh-CN': (p) => `应有 ${s(p.expected)} 个数值（openAge + 1），实际为 ${s(p.got)} 个`,
  },
  'projection.not_an_array': {
    en: () => 'must be an array of numbers',
    'zh-CN': () => '必须是数值数组',
  },
  'projection.fertility_range': {
    en: (p) => `fertile ages ${s(p.startAge)}..${s(p.endAge)} must lie within 0..openAge (${s(p.openAge)})`,
    'zh-CN': (p) => `育龄范围 ${s(p.startAge)}..${s(p.endAge)} 必须在 0..openAge（${s(p.openAge)}）之内`,
  },
  'projection.invalid_timing': {
    en: (p) => `timing must be "even" or "end" (got ${s(p.got)})`,
    'zh-CN': (p) => `迁移时点必须为 "even" 或 "end"（实际为 ${s(p.got)}）`,
  },
  'projection.open_age_rate_zero': {
    en: () => 'the death rate of the open age group must be greater than 0 (L(ω) = l(ω)/m(ω))',
    'zh-CN': () => '最高开口年龄组的死亡率必须大于 0（L(ω) = l(ω)/m(ω)）',
  },
  'projection.negative_population': {
    en: (p) =>
      `projected ${s(p.sex)} population at age ${s(p.age)} in ${s(p.year)} was negative (${s(p.value)}) and was set to 0`,
    'zh-CN': (p) =>
      `${s(p.year)} 年 ${s(p.age)} 岁${p.sex === 'female' ? '女性' : '男性'}预测人口为负（${s(p.value)}），已置为 0`,
  },
  'projection.invalid_group_width': {
    en: (p) => `group width must be 1 or 5 and divide openAge (got ${s(p.got)})`,
    'zh-CN': (p) => `年龄组宽度必须为 1 或 5 且整除 openAge（实际为 ${s(p.got)}）`,
  },
  'lifetable.invalid_rates': {
    en: (p) => `death rates must be finite and non-negative, the last one positive (${s(p.reason)})`,
    'zh-CN': (p) => `死亡率必须为非负有限数，最后一个须大于 0（${s(p.reason)}）`,
  },
  'lifetable.invalid_ages': {
    en: (p) => `age groups are not valid (${s(p.reason)})`,
    'zh-CN': (p) => `年龄组无效（${s(p.reason)}）`,
  },
  'mortality.target_unreachable': {
    en: (p) => `life expectancy ${s(p.target)} cannot be reached (range ${s(p.min)}..${s(p.max)})`,
    'zh-CN': (p) => `无法达到预期寿命 ${s(p.target)}（可达范围 ${s(p.min)}..${s(p.max)}）`,
  },
  'mortality.invalid_model': {
    en: (p) => `the mortality model is not valid (${s(p.reason)})`,
    'zh-CN': (p) => `死亡模型无效（${s(p.reason)}）`,
  },
  'fertility.invalid_shape': {
    en: (p) => `the fertility age pattern must be non-negative with a positive sum (${s(p.reason)})`,
    'zh-CN': (p) => `生育年龄模式须非负且总和为正（${s(p.reason)}）`,
  },
  'fertility.invalid_shares': {
    en: (p) => `birth-order shares must be non-negative and sum to 1 (sum ${s(p.sum)})`,
    'zh-CN': (p) => `孩次构成须非负且合计为 1（合计 ${s(p.sum)}）`,
  },
  'indicator.zero_denominator': {
    en: (p) => `the denominator (${s(p.denominator)}) is zero`,
    'zh-CN': (p) => `分母（${s(p.denominator)}）为零`,
  },
  'indicator.invalid_value': {
    en: (p) => `must be a finite non-negative number (got ${s(p.got)})`,
    'zh-CN': (p) => `必须是非负有限数（实际为 ${s(p.got)}）`,
  },
  'money.not_safe_integer': {
    en: (p) => `the amount in fen (${s(p.got)}) exceeds the safe integer range`,
    'zh-CN': (p) => `金额（分）${s(p.got)} 超出安全整数范围`,
  },
  'stochastic.invalid_parameters': {
    en: (p) => `stochastic parameters are not valid (${s(p.reason)})`,
    'zh-CN': (p) => `随机模拟参数无效（${s(p.reason)}）`,
  },
};

/** Builds an issue with its English message. */
export function issue(code: IssueCode, path: IssuePath, params: Params = {}): Issue {
  return { code, path: [...path], message: MESSAGES[code].en(params), params };
}

/** The message of an issue in the requested language (zh-CN or en). */
export function issueMessage(i: Pick<Issue, 'code' | 'params'>, locale: Locale = 'en'): string {
  return MESSAGES[i.code][locale](i.params);
}

/** Renders a path as `population.female[3]` (empty path → `input`). */
export function formatPath(path: IssuePath): string {
  if (path.length === 0) return 'input';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** A result that is either a value or the issues that prevented it. */
export type Result<T> = { ok: true; value: T; warnings: Issue[] } | { ok: false; issues: Issue[] };
