/**
 * Bad input as an outside tester sends it (shared/specs/entitlements.md): through the CLI
 * (`junheng entitlements --input FILE --json`) and `POST /api/v1/entitlements`. Never a crash or
 * a 500; exit 2 / 400; each problem names the field (JSON pointer) with a specific reason in
 * zh-CN and en; nothing on stdout; the CLI's problem is the API's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { register } from '../cli/commands/entitlements.ts';
import { createTestServer, type TestServer } from '../server/test-support.ts';
import { computeEntitlements, validateEntitlementInput } from './index.ts';
import { loadParameters } from './load.ts';

/** Makes the engine throw (a defect of the rules, not of the input) while `on`. */
const fault = vi.hoisted(() => ({ on: false }));
vi.mock('./entitlements.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('./entitlements.ts')>();
  return {
    ...m,
    entitlementsFor: (...a: Parameters<typeof m.entitlementsFor>) => {
      if (fault.on) throw new Error('simulated defect');
      return m.entitlementsFor(...a);
    },
  };
});

const bin = fileURLToPath(new URL('../../bin/junheng.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'junheng-bad-input-'));
let ts: TestServer;
beforeAll(async () => {
  ts = await createTestServer({ seedDemo: false });
});
afterAll(async () => {
  await ts.close();
  rmSync(dir, { recursive: true, force: true });
});

const example = {
  asOf: '2024-06-30',
  family: {
    hukouArea: '530102',
    parents: [
      { role: 'mother', birthDate: '1992-04-01', employed: true },
      { role: 'father', birthDate: '1990-01-15', employed: true, onlyChild: true },
    ],
    children: [
      { birthDate: '2019-05-01', hukouArea: '530102' },
      { birthDate: '2024-03-15', hukouArea: '530102', difficultBirth: false },
    ],
    housing: { ownsHome: false, rents: true, contributesToHousingFund: true, buyingFirstHome: false },
  },
};

/** The example with the value at a JSON pointer replaced (undefined: removed), as JSON text. */
function put(ptr: string, value: unknown): string {
  const o = structuredClone(example) as unknown as Record<string, unknown>;
  const keys = ptr.split('/').slice(1);
  const last = keys.pop() as string;
  let at = o;
  for (const k of keys) at = at[k] as Record<string, unknown>;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return JSON.stringify(o);
}

let n = 0;
function file(text: string): string {
  const f = join(dir, `in-${n++}.json`);
  writeFileSync(f, text);
  return f;
}

/** The CLI command in this process (so the engine mock applies): exit code, stdout, stderr. */
async function cli(text: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command('junheng').exitOverride();
  register(program);
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
    stdout += String(c);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
    stderr += String(c);
    return true;
  });
  const before = process.exitCode;
  let code: number;
  try {
    await program.parseAsync(['node', 'junheng', 'entitlements', '--input', file(text), '--json']);
  } finally {
    out.mockRestore();
    err.mockRestore();
    code = Number(process.exitCode ?? 0);
    process.exitCode = before;
  }
  return { code, stdout, stderr };
}

/** The real command, spawned (black box). */
function cliSpawned(text: string) {
  return spawnSync(process.execPath, [bin, 'entitlements', '--input', file(text), '--json'], {
    encoding: 'utf8',
    cwd: tmpdir(),
  });
}

function api(payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return ts.app.inject({ method: 'POST', url: '/api/v1/entitlements', payload, headers });
}

type FieldError = { path: string; code: string; message: { 'zh-CN': string; en: string } };

/** API 400 and CLI exit 2 with the same problem document; returns its field errors. */
async function refused(text: string): Promise<FieldError[]> {
  const r = await api(text);
  expect(r.statusCode).toBe(400);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = r.json();
  const c = await cli(text);
  expect(c.code).toBe(2);
  expect(c.stdout).toBe('');
  // stderr is one JSON document: the API's problem without its request id
  const { requestId: _, ...problem } = body;
  expect(JSON.parse(c.stderr)).toEqual(problem);
  for (const e of body.errors as FieldError[]) {
    expect(e.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(e.message.en).toMatch(/[a-z]/i);
    expect(e.message.en).not.toMatch(/[\u4e00-\u9fff]/);
  }
  return body.errors;
}

const BAD: Array<[string, string, Array<{ path: string; code: string }>]> = [
  ['29 Feb in a common year', put('/asOf', '2023-02-29'), [{ path: '/asOf', code: 'input.invalid_date' }]],
  ['month 13', put('/asOf', '2024-13-01'), [{ path: '/asOf', code: 'input.invalid_date' }]],
  ['31 April', put('/asOf', '2024-04-31'), [{ path: '/asOf', code: 'input.invalid_date' }]],
  ['unpadded date', put('/asOf', '2024-1-5'), [{ path: '/asOf', code: 'input.invalid_date' }]],
  ['leading space', put('/asOf', ' 2024-01-05'), [{ path: '/asOf', code: 'input.invalid_date' }]],
  ['date-time', put('/asOf', '2024-01-05T00:00:00Z'), [{ path: '/asOf', code: 'input.invalid_date' }]],
  ['date as a number', put('/asOf', 20240105), [{ path: '/asOf', code: 'input.invalid_type' }]],
  [
    '5-digit area',
    put('/family/hukouArea', '53010'),
    [{ path: '/family/hukouArea', code: 'input.invalid_area_code' }],
  ],
  [
    '7-digit area',
    put('/family/hukouArea', '5301022'),
    [{ path: '/family/hukouArea', code: 'input.invalid_area_code' }],
  ],
  [
    'area as a number',
    put('/family/children/0/hukouArea', 530102),
    [{ path: '/family/children/0/hukouArea', code: 'input.invalid_type' }],
  ],
  [
    'letters as area',
    put('/family/hukouArea', 'abcdef'),
    [{ path: '/family/hukouArea', code: 'input.invalid_area_code' }],
  ],
  [
    'empty area',
    put('/family/hukouArea', ''),
    [{ path: '/family/hukouArea', code: 'input.invalid_area_code' }],
  ],
  ['family as an array', put('/family', []), [{ path: '/family', code: 'input.invalid_type' }]],
  [
    'parents as an object',
    put('/family/parents', { role: 'mother' }),
    [{ path: '/family/parents', code: 'input.invalid_type' }],
  ],
  [
    'children null',
    put('/family/children', null),
    [{ path: '/family/children', code: 'input.invalid_type' }],
  ],
  [
    'boolean as "true"',
    put('/family/parents/0/employed', 'true'),
    [{ path: '/family/parents/0/employed', code: 'input.invalid_type' }],
  ],
  [
    'birthOrder 0',
    put('/family/children/0/birthOrder', 0),
    [{ path: '/family/children/0/birthOrder', code: 'input.invalid_integer' }],
  ],
  [
    'birthOrder -1',
    put('/family/children/0/birthOrder', -1),
    [{ path: '/family/children/0/birthOrder', code: 'input.invalid_integer' }],
  ],
  [
    'birthOrder 1.5',
    put('/family/children/0/birthOrder', 1.5),
    [{ path: '/family/children/0/birthOrder', code: 'input.invalid_integer' }],
  ],
  [
    'birthOrder "2"',
    put('/family/children/0/birthOrder', '2'),
    [{ path: '/family/children/0/birthOrder', code: 'input.invalid_type' }],
  ],
  [
    'unknown role',
    put('/family/parents/0/role', 'grandma'),
    [{ path: '/family/parents/0/role', code: 'input.invalid_value' }],
  ],
  [
    'two mothers',
    put('/family/parents/1/role', 'mother'),
    [{ path: '/family/parents/1/role', code: 'input.duplicate_role' }],
  ],
  ['missing asOf', put('/asOf', undefined), [{ path: '/asOf', code: 'input.required' }]],
  ['missing family', put('/family', undefined), [{ path: '/family', code: 'input.required' }]],
  ['a JSON array', '[]', [{ path: '', code: 'input.invalid_type' }]],
  [
    '10,000 children',
    put(
      '/family/children',
      Array.from({ length: 10_000 }, () => ({ birthDate: '2020-01-01', hukouArea: '530102' })),
    ),
    [{ path: '/family/children', code: 'input.too_many_items' }],
  ],
  [
    'deeply nested junk',
    `{"asOf":"2024-06-30","family":{"children":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`,
    [{ path: '/family/children/0', code: 'input.invalid_type' }],
  ],
  [
    'an unknown field',
    put('/family/children/0/name', 'x'),
    [{ path: '/family/children/0/name', code: 'input.unknown_field' }],
  ],
  ['empty body', '', [{ path: '', code: 'input.invalid_json' }]],
  ['blank body', ' \n ', [{ path: '', code: 'input.invalid_json' }]],
  ['not JSON', 'hello', [{ path: '', code: 'input.invalid_json' }]],
  ['truncated JSON', '{"asOf":', [{ path: '', code: 'input.invalid_json' }]],
  [
    'a "__proto__" key',
    `{"__proto__":{"x":1},${JSON.stringify(example).slice(1)}`,
    [{ path: '/__proto__', code: 'input.unknown_field' }],
  ],
];

describe('bad input: CLI and API refuse it the same way, field by field', () => {
  for (const [name, text, want] of BAD) {
    it(name, async () => {
      const errors = await refused(text);
      for (const w of want) expect(errors).toContainEqual(expect.objectContaining(w));
    });
  }
});

describe('defects found', () => {
  it('an unparsable or empty body names the whole document ("") with the CLI reason, not Fastify\'s "/"', async () => {
    for (const text of ['', '   ', 'hello', '{"asOf":']) {
      const r = await api(text);
      expect(r.statusCode).toBe(400);
      const e = r.json().errors;
      expect(e).toHaveLength(1);
      expect(e[0]).toMatchObject({ path: '', code: 'input.invalid_json' });
      expect(e[0].message['zh-CN']).toMatch(/JSON|输入为空/);
    }
  });

  it('a UTF-8 byte-order mark (Windows editors) is accepted by the CLI as by the API', async () => {
    const text = `\ufeff${JSON.stringify(example)}`;
    const r = await api(text);
    expect(r.statusCode).toBe(200);
    const c = cliSpawned(text);
    expect(c.stderr).toBe('');
    expect(c.status).toBe(0);
    expect(JSON.parse(c.stdout)).toEqual(r.json());
  });

  it('a "__proto__" key is an unknown field on both sides, not "not valid JSON"', async () => {
    const r = await api(`{"__proto__":{"x":1},${JSON.stringify(example).slice(1)}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([
      expect.objectContaining({ path: '/__proto__', code: 'input.unknown_field' }),
    ]);
  });

  it('the body is JSON whatever the content type (curl -d, text/plain, none): 200, not 415', async () => {
    const body = JSON.stringify(example);
    for (const headers of [
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'text/plain' },
      {} as Record<string, string>,
    ]) {
      const r = await api(body, headers);
      expect(r.statusCode, JSON.stringify(headers)).toBe(200);
    }
    const none = await ts.app.inject({ method: 'POST', url: '/api/v1/entitlements' });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0]).toMatchObject({ path: '', code: 'input.invalid_json' });
  });

  it('the CLI writes one problem document on stderr (parseable, zh-CN/en like the API)', () => {
    const c = cliSpawned(put('/family/children/1/birthDate', '2023-02-30'));
    expect(c.status).toBe(2);
    expect(c.stdout).toBe('');
    const p = JSON.parse(c.stderr);
    expect(p).toMatchObject({ status: 400, code: 'entitlements.invalid_input' });
    expect(p.errors).toEqual([
      {
        path: '/family/children/1/birthDate',
        code: 'input.invalid_date',
        message: { 'zh-CN': expect.stringMatching(/2 月只有 28 天/), en: expect.stringMatching(/28 days/) },
      },
    ]);
  });

  it('a second mother is reported together with the other issues, not only once they are fixed', () => {
    const input = JSON.parse(put('/family/parents/1/role', 'mother'));
    input.asOf = '2024-02-30';
    const r = validateEntitlementInput(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.path, i.code])).toEqual([
      ['/asOf', 'input.invalid_date'],
      ['/family/parents/1/role', 'input.duplicate_role'],
    ]);
  });

  it('date reasons say what is wrong: format, no such day, or outside the supported range', () => {
    const reason = (asOf: string) => {
      const r = validateEntitlementInput({ asOf, family: {} });
      if (r.ok) throw new Error(`accepted ${asOf}`);
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]).toMatchObject({ path: '/asOf', code: 'input.invalid_date' });
      return r.issues[0];
    };
    expect(reason('2023-02-29').message.en).toMatch(/2023-02 has 28 days/);
    expect(reason('2023-02-29').message.zh).toMatch(/2023 年 2 月只有 28 天/);
    expect(reason('2024-13-01').message.en).toMatch(/no month 13/);
    expect(reason('2024-1-5').message.en).toMatch(/expected YYYY-MM-DD/);
    expect(reason(' 2024-01-05').message.en).toContain('" 2024-01-05"');
    // 1899-12-31 is a real day: the reason is the range, not "not a valid calendar date"
    const old = reason('1899-12-31');
    expect(old.message.en).toMatch(/outside the supported range \(1900-01-01 to 2999-12-31\)/);
    expect(old.message.en).not.toMatch(/valid calendar date/);
    expect(old.message.zh).toMatch(/超出支持范围/);
  });

  it('wrong types say what was sent', () => {
    const input = JSON.parse(put('/family/parents/0/employed', 'true'));
    input.family.children = null;
    const r = validateEntitlementInput(input);
    if (r.ok) throw new Error('accepted');
    expect(r.issues.map((i) => i.message.en)).toEqual([
      'Wrong type: expected a boolean, got the string "true"',
      'Wrong type: expected an array, got null',
    ]);
  });

  it('a rejected value is echoed only in part (a 1 MB string is not sent back three times)', async () => {
    const text = JSON.stringify({ asOf: 'x'.repeat(1_000_000), family: {} });
    const r = await api(text);
    expect(r.statusCode).toBe(400);
    expect(r.body.length).toBeLessThan(4000);
    const c = await cli(text);
    expect(c.code).toBe(2);
    expect(c.stderr.length).toBeLessThan(4000);
  });

  it('a defect of the rules (not of the input) is a 500 and CLI exit 1, not "invalid input"', async () => {
    fault.on = true;
    try {
      expect(computeEntitlements(example, loadParameters())).toMatchObject({
        ok: false,
        issues: [{ code: 'rules.internal_error' }],
      });
      const r = await api(JSON.stringify(example));
      expect(r.statusCode).toBe(500);
      expect(r.json().code).toBe('internal.error');
      const c = await cli(JSON.stringify(example));
      expect(c.code).toBe(1);
      expect(c.stdout).toBe('');
      expect(JSON.parse(c.stderr).errors[0].code).toBe('rules.internal_error');
    } finally {
      fault.on = false;
    }
  });
});

describe('valid but odd input: an answer, not an error', () => {
  // Decided: the contract fixes no range for asOf, and its conventions give every entitlement a
  // meaning on any date (one-time amounts and per-birth leave whatever the year; yearly and
  // monthly amounts for their own period). Children born after asOf are expected births
  // (docs/rules.md). Parents' birth dates enter no v1 rule, so an impossible one changes nothing.
  const odd: Array<[string, string]> = [
    ['asOf 2200-01-01', put('/asOf', '2200-01-01')],
    ['asOf 1900-01-01', put('/asOf', '1900-01-01')],
    ['a child born after asOf', put('/family/children/1/birthDate', '2025-01-01')],
    ['a parent born after the child', put('/family/parents/0/birthDate', '2020-01-01')],
    ['no parents, no children', JSON.stringify({ asOf: '2024-06-30', family: {} })],
  ];
  for (const [name, text] of odd) {
    it(name, async () => {
      const r = await api(text);
      expect(r.statusCode).toBe(200);
      const c = await cli(text);
      expect(c.code).toBe(0);
      expect(c.stderr).toBe('');
      expect(JSON.parse(c.stdout)).toEqual(r.json());
    });
  }

  it('far dates: nothing yearly or monthly is due, one-time and per-birth entries still are', async () => {
    const doc = (await api(put('/asOf', '2200-01-01'))).json();
    const due = (id: string, subject: string) =>
      doc.entitlements.find((e: { id: string; subject: string }) => e.id === id && e.subject === subject);
    expect(due('national_childcare_subsidy', 'child:1')).toMatchObject({ eligible: false, amountFen: 0 });
    expect(due('iit_infant_care_deduction', 'child:1')).toMatchObject({ eligible: false, amountFen: 0 });
    expect(due('parental_leave', 'mother')).toMatchObject({ eligible: false, days: 0 });
    expect(due('one_time_birth_subsidy', 'child:1')).toMatchObject({ eligible: true, amountFen: 200000 });
  });
});
