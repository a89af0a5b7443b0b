/**
 * The calculator's input: types, a schema description (also exported as JSON Schema for the
 * HTTP layer) and a validator that returns field-level issues instead of throwing.
 */
import { DATE_RANGE, type DateProblem, isoDateProblem, parseIsoDate } from './dates.ts';
import { clip, echo } from './echo.ts';

export interface Issue {
  /** Dotted code, e.g. `input.invalid_date`. */
  code: string;
  /** JSON pointer (RFC 6901) to the offending field; "" is the whole document. */
  path: string;
  message: { zh: string; en: string };
  params?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

export type Role = 'mother' | 'father';

export interface ParentInput {
  role: Role;
  birthDate?: string;
  employed: boolean;
  onlyChild: boolean;
  elderlyParentHospitalized: boolean;
}

export interface ChildInput {
  birthDate: string;
  hukouArea?: string;
  difficultBirth: boolean;
  adopted: boolean;
  birthOrder?: number;
}

export interface HousingInput {
  ownsHome: boolean;
  rents: boolean;
  contributesToHousingFund: boolean;
  buyingFirstHome: boolean;
}

export interface FamilyInput {
  hukouArea?: string;
  /** 计划生育特殊家庭 (plan §17–18); an optional extension of the contract. */
  specialFamily: boolean;
  parents: ParentInput[];
  children: ChildInput[];
  /** null when the input gives no housing facts. */
  housing: HousingInput | null;
}

export interface EntitlementInput {
  asOf: string;
  family: FamilyInput;
}

type Spec =
  | { type: 'date'; required?: boolean; description: string }
  | { type: 'area'; required?: boolean; description: string }
  | { type: 'boolean'; required?: boolean; description: string }
  | { type: 'enum'; values: string[]; required?: boolean; description: string }
  | { type: 'integer'; min: number; max: number; required?: boolean; description: string }
  | { type: 'object'; fields: Record<string, Spec>; required?: boolean; description: string }
  | { type: 'array'; items: Spec; maxItems: number; required?: boolean; description: string };

/** At most this many children in a family, and birth orders up to it. */
export const MAX_CHILDREN = 20;

const bool = (description: string): Spec => ({ type: 'boolean', description });

/** The input schema, as data: drives the validator and `entitlementInputJsonSchema`. */
export const INPUT_SPEC: Spec = {
  type: 'object',
  description: 'Family entitlement calculator input (contract v1)',
  fields: {
    asOf: { type: 'date', required: true, description: 'The date the answer is for (ISO date)' },
    family: {
      type: 'object',
      required: true,
      description: 'The family',
      fields: {
        hukouArea: { type: 'area', description: 'Family hukou county code (GB/T 2260, 6 digits)' },
        specialFamily: bool('计划生育特殊家庭 (family-planning special family, plan §17–18)'),
        parents: {
          type: 'array',
          maxItems: 2,
          description: 'The parents (at most one mother and one father)',
          items: {
            type: 'object',
            description: 'A parent',
            fields: {
              role: {
                type: 'enum',
                values: ['mother', 'father'],
                required: true,
                description: 'mother or father',
              },
              birthDate: { type: 'date', description: 'Date of birth' },
              employed: bool('Employed (has an employer that grants leave)'),
              onlyChild: bool('Is an only child (独生子女)'),
              elderlyParentHospitalized: bool('A parent of this person, aged 60+, is in hospital'),
            },
          },
        },
        children: {
          type: 'array',
          maxItems: MAX_CHILDREN,
          description: "The couple's children, any order",
          items: {
            type: 'object',
            description: 'A child',
            fields: {
              birthDate: { type: 'date', required: true, description: 'Date of birth' },
              hukouArea: { type: 'area', description: 'County code where the child was registered at birth' },
              difficultBirth: bool('Difficult birth (难产)'),
              adopted: bool('Adopted'),
              birthOrder: {
                type: 'integer',
                min: 1,
                max: MAX_CHILDREN,
                description: 'Explicit birth order (overrides the order computed from dates)',
              },
            },
          },
        },
        housing: {
          type: 'object',
          description: 'Housing facts',
          fields: {
            ownsHome: bool('Owns a home'),
            rents: bool('Rents a home'),
            contributesToHousingFund: bool('Contributes to the housing provident fund'),
            buyingFirstHome: bool('Buying a first self-occupied home'),
          },
        },
      },
    },
  },
};

function toJsonSchema(s: Spec): Record<string, unknown> {
  switch (s.type) {
    case 'date':
      return {
        type: 'string',
        format: 'date',
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        description: s.description,
      };
    case 'area':
      return { type: 'string', pattern: '^\\d{6}$', description: s.description };
    case 'boolean':
      return { type: 'boolean', description: s.description };
    case 'enum':
      return { type: 'string', enum: s.values, description: s.description };
    case 'integer':
      return { type: 'integer', minimum: s.min, maximum: s.max, description: s.description };
    case 'array':
      return {
        type: 'array',
        maxItems: s.maxItems,
        items: toJsonSchema(s.items),
        description: s.description,
      };
    case 'object': {
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      for (const [k, v] of Object.entries(s.fields)) {
        properties[k] = toJsonSchema(v);
        if (v.required) required.push(k);
      }
      return {
        type: 'object',
        properties,
        required,
        additionalProperties: false,
        description: s.description,
      };
    }
  }
}

/** JSON Schema (draft 2020-12) of the input, for OpenAPI docs and the HTTP layer. */
export const entitlementInputJsonSchema: Record<string, unknown> = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'junheng:entitlements-input-v1',
  ...toJsonSchema(INPUT_SPEC),
};

/** RFC 6901 pointer segment escaping. */
export function pointer(parts: Array<string | number>): string {
  return parts.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

const TYPE_NAMES: Record<Spec['type'], { zh: string; en: string }> = {
  date: { zh: '日期字符串', en: 'a date string' },
  area: { zh: '行政区划代码字符串', en: 'an area-code string' },
  boolean: { zh: '布尔值', en: 'a boolean' },
  enum: { zh: '字符串', en: 'a string' },
  integer: { zh: '整数', en: 'an integer' },
  object: { zh: '对象', en: 'an object' },
  array: { zh: '数组', en: 'an array' },
};

/** The JSON type of a value, for "expected …, got …". */
function jsonType(v: unknown): { json: string; zh: string; en: string } {
  if (v === null) return { json: 'null', zh: ' null', en: 'null' };
  if (Array.isArray(v)) return { json: 'array', zh: '数组', en: 'an array' };
  switch (typeof v) {
    case 'string':
      return { json: 'string', zh: `字符串 ${echo(v)}`, en: `the string ${echo(v)}` };
    case 'number':
      return { json: 'number', zh: `数字 ${v}`, en: `the number ${v}` };
    case 'boolean':
      return { json: 'boolean', zh: `布尔值 ${v}`, en: `the boolean ${v}` };
    default:
      return { json: 'object', zh: '对象', en: 'an object' };
  }
}

function issue(code: string, path: string, zh: string, en: string, params?: Record<string, unknown>): Issue {
  const i: Issue = { code, path, message: { zh, en } };
  if (params) i.params = params;
  return i;
}

function typeOk(s: Spec, v: unknown): boolean {
  switch (s.type) {
    case 'date':
    case 'area':
    case 'enum':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number';
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
  }
}

/** Why a string parseIsoDate refused is not an accepted date (isoDateProblem), with the value. */
function dateIssue(path: string, v: string): Issue {
  const p = isoDateProblem(v) as DateProblem;
  const shown = echo(v);
  return issue('input.invalid_date', path, `${p.zh}：${shown}`, `${p.en}: ${shown}`, {
    value: p.reason === 'format' ? clip(v) : v,
    reason: p.reason,
    ...(p.reason === 'out_of_range' ? DATE_RANGE : {}),
  });
}

/** The fields of an object spec as a list, made once (validation walks it for every input). */
const FIELD_LISTS = new WeakMap<Spec, Array<[string, Spec]>>();

function fieldList(s: Spec & { type: 'object' }): Array<[string, Spec]> {
  let l = FIELD_LISTS.get(s);
  if (!l) {
    l = Object.entries(s.fields);
    FIELD_LISTS.set(s, l);
  }
  return l;
}

/**
 * Walks the input against the spec. `path` is the current location, extended and restored in
 * place; the JSON pointer is only built when there is an issue to report.
 */
function check(s: Spec, v: unknown, path: Array<string | number>, out: Issue[]): void {
  if (!typeOk(s, v)) {
    const p = pointer(path);
    const t = TYPE_NAMES[s.type];
    const got = jsonType(v);
    out.push(
      issue(
        'input.invalid_type',
        p,
        `类型错误：应为${t.zh}，实际为${got.zh}`,
        `Wrong type: expected ${t.en}, got ${got.en}`,
        { expected: s.type, got: got.json },
      ),
    );
    return;
  }
  switch (s.type) {
    case 'date':
      if (parseIsoDate(v as string) === null) out.push(dateIssue(pointer(path), v as string));
      return;
    case 'area':
      if (!/^\d{6}$/.test(v as string)) {
        const shown = echo(v as string);
        out.push(
          issue(
            'input.invalid_area_code',
            pointer(path),
            `不是6位数字的行政区划代码（GB/T 2260，如 "530102"）：${shown}`,
            `Not a 6-digit area code (GB/T 2260, e.g. "530102"): ${shown}`,
            { value: clip(v as string) },
          ),
        );
      }
      return;
    case 'enum':
      if (!s.values.includes(v as string)) {
        out.push(
          issue(
            'input.invalid_value',
            pointer(path),
            `取值无效，应为 ${s.values.join('、')} 之一：${echo(v as string)}`,
            `Invalid value: expected one of ${s.values.join(', ')}: ${echo(v as string)}`,
            { allowed: s.values, value: clip(v as string) },
          ),
        );
      }
      return;
    case 'integer':
      if (!Number.isInteger(v) || (v as number) < s.min || (v as number) > s.max) {
        out.push(
          issue(
            'input.invalid_integer',
            pointer(path),
            `应为 ${s.min} 到 ${s.max} 之间的整数：${v}`,
            `Expected an integer from ${s.min} to ${s.max}: ${v}`,
            { min: s.min, max: s.max, value: String(v) },
          ),
        );
      }
      return;
    case 'array': {
      const a = v as unknown[];
      if (a.length > s.maxItems) {
        out.push(
          issue(
            'input.too_many_items',
            pointer(path),
            `最多 ${s.maxItems} 项，实际 ${a.length} 项`,
            `At most ${s.maxItems} items, got ${a.length}`,
            {
              maxItems: s.maxItems,
            },
          ),
        );
        return;
      }
      for (let i = 0; i < a.length; i++) {
        path.push(i);
        check(s.items, a[i], path, out);
        path.pop();
      }
      return;
    }
    case 'object': {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (!Object.hasOwn(s.fields, k)) {
          out.push(
            issue(
              'input.unknown_field',
              pointer([...path, k]),
              `未知字段：${echo(k)}`,
              `Unknown field: ${echo(k)}`,
            ),
          );
        }
      }
      for (const [k, fs] of fieldList(s)) {
        if (o[k] === undefined) {
          if (fs.required) {
            out.push(
              issue(
                'input.required',
                pointer([...path, k]),
                `缺少必填字段：${k}`,
                `Required field is missing: ${k}`,
              ),
            );
          }
          continue;
        }
        path.push(k);
        check(fs, o[k], path, out);
        path.pop();
      }
    }
  }
}

/**
 * A second mother or father, reported alongside every other issue (not only once the rest is
 * fixed). Looks only at roles that passed their own check.
 */
function duplicateRoles(input: unknown, out: Issue[]): void {
  const parents = (input as { family?: { parents?: unknown } } | null)?.family?.parents;
  if (!Array.isArray(parents) || parents.length > 2) return;
  const seen = new Set<string>();
  parents.forEach((pa: unknown, i) => {
    const role = (pa as { role?: unknown } | null)?.role;
    if (role !== 'mother' && role !== 'father') return;
    if (seen.has(role)) {
      out.push(
        issue(
          'input.duplicate_role',
          pointer(['family', 'parents', i, 'role']),
          `家长角色重复：已有一位 ${role}（至多一位 mother 和一位 father）`,
          `Duplicate parent role: there is already a ${role} (at most one mother and one father)`,
          { value: role },
        ),
      );
    }
    seen.add(role);
  });
}

/**
 * Validate calculator input. Returns the normalized input (missing booleans false, missing
 * lists empty, missing housing null) or every issue found, each with a JSON pointer.
 */
export function validateEntitlementInput(input: unknown): Result<EntitlementInput> {
  const issues: Issue[] = [];
  check(INPUT_SPEC, input, [], issues);
  duplicateRoles(input, issues);
  if (issues.length > 0) return { ok: false, issues };
  // biome-ignore lint/suspicious/noExplicitAny: shape checked above
  const raw = input as any;
  const f = raw.family;
  const family: FamilyInput = {
    specialFamily: f.specialFamily === true,
    parents: (f.parents ?? []).map(
      // biome-ignore lint/suspicious/noExplicitAny: checked
      (p: any): ParentInput => ({
        role: p.role,
        ...(p.birthDate !== undefined ? { birthDate: p.birthDate } : {}),
        employed: p.employed === true,
        onlyChild: p.onlyChild === true,
        elderlyParentHospitalized: p.elderlyParentHospitalized === true,
      }),
    ),
    // biome-ignore lint/suspicious/noExplicitAny: checked
    children: (f.children ?? []).map((c: any): ChildInput => {
      const child: ChildInput = {
        birthDate: c.birthDate,
        difficultBirth: c.difficultBirth === true,
        adopted: c.adopted === true,
      };
      if (c.hukouArea !== undefined) child.hukouArea = c.hukouArea;
      if (c.birthOrder !== undefined) child.birthOrder = c.birthOrder;
      return child;
    }),
    housing:
      f.housing === undefined
        ? null
        : {
            ownsHome: f.housing.ownsHome === true,
            rents: f.housing.rents === true,
            contributesToHousingFund: f.housing.contributesToHousingFund === true,
            buyingFirstHome: f.housing.buyingFirstHome === true,
          },
  };
  if (f.hukouArea !== undefined) family.hukouArea = f.hukouArea;
  return { ok: true, value: { asOf: raw.asOf, family } };
}

/**
 * The input as JSON text (a file for the CLI, a request body for HTTP) → the parsed value, or an
 * `input.invalid_json` issue on the whole document. Both callers use it, so that unparsable
 * input gets the same reason from both. A leading UTF-8 byte-order mark (Windows editors) is
 * ignored (RFC 8259 §8.1 allows it). `JSON.parse` makes `"__proto__"` an ordinary own key, which
 * the validator then reports as an unknown field.
 */
export function parseEntitlementInputText(text: string): Result<unknown> {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (t.trim() === '') {
    return {
      ok: false,
      issues: [
        issue(
          'input.invalid_json',
          '',
          '输入为空：应为一个 JSON 对象（含 asOf 和 family）',
          'The input is empty: expected one JSON object (with asOf and family)',
        ),
      ],
    };
  }
  try {
    return { ok: true, value: JSON.parse(t) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      issues: [issue('input.invalid_json', '', `不是有效的 JSON：${why}`, `Not valid JSON: ${why}`)],
    };
  }
}
