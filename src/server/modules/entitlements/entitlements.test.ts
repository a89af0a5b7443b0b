import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import contractFamily from '../../../../policy/examples/contract-family.json' with { type: 'json' };
import { computeEntitlements } from '../../../rules/index.ts';
import { loadParameters } from '../../../rules/load.ts';
import { createTestServer, type TestServer } from '../../test-support.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await createTestServer({ seedDemo: false });
});
afterAll(async () => {
  expect(ts.leaks).toEqual([]);
  await ts.close();
});

// The contract's own example (shared/specs/entitlements.md).
const example = contractFamily;

function cli(input: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'jh-ent-'));
  const file = join(dir, 'in.json');
  writeFileSync(file, JSON.stringify(input));
  return spawnSync(process.execPath, ['bin/junheng.js', 'entitlements', '--input', file, '--json'], {
    encoding: 'utf8',
  });
}

describe('POST /api/v1/entitlements', () => {
  it('answers without sign-in with the same document as the CLI', async () => {
    const r = await ts.request({ method: 'POST', url: '/api/v1/entitlements', body: example });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    // the route writes its own bytes (json.ts): exactly the engine's answer as JSON
    const engine = computeEntitlements(example, loadParameters());
    expect(engine.ok && r.body === JSON.stringify(engine.value)).toBe(true);
    const body = r.json();
    const subsidy = body.entitlements.find(
      (e: { id: string; subject: string }) => e.id === 'one_time_birth_subsidy' && e.subject === 'child:1',
    );
    expect(subsidy).toMatchObject({ eligible: true, amountFen: 200000 });
    const c = cli(example);
    expect(c.status).toBe(0);
    expect(JSON.parse(c.stdout)).toEqual(body);
  }, 60_000);

  it('gives 400 problem+json with the same field-level reasons as the CLI', async () => {
    const bad = {
      ...example,
      family: { ...example.family, children: [{ birthDate: '2023-02-30', hukouArea: '53010' }] },
    };
    const r = await ts.request({ method: 'POST', url: '/api/v1/entitlements', body: bad });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    const paths = r
      .json()
      .errors.map((e: { path: string }) => e.path)
      .sort();
    expect(paths).toEqual(['/family/children/0/birthDate', '/family/children/0/hukouArea']);
    const c = cli(bad);
    expect(c.status).toBe(2);
    expect(c.stdout).toBe('');
    for (const p of paths) expect(c.stderr).toContain(p);
  }, 60_000);

  it('never answers 5xx to hostile bodies', async () => {
    for (const body of [
      '',
      'null',
      '[]',
      '{"asOf":1}',
      '{"family":{"children":[null]}}',
      '{"asOf":"2024-01-01","family":{"parents":"x","children":[]}}',
    ]) {
      const r = await ts.app.inject({
        method: 'POST',
        url: '/api/v1/entitlements',
        payload: body,
        headers: { 'content-type': 'application/json' },
      });
      expect(r.statusCode).toBe(400);
    }
  });
});
