import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../audit.ts';
import { departmentCode } from '../../seed/reference.ts';
import { auditOf as auditRows, createTestServer, type TestServer } from '../../test-support.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await createTestServer();
});
afterAll(async () => {
  expect(ts.leaks).toEqual([]);
  await ts.close();
});

const auditOf = (requestId: string) =>
  auditRows(ts, requestId, ['action', 'outcome', 'actor_role', 'actor_area', 'subject_id', 'details']);

describe('POST /users', () => {
  it('a creation outside the creator’s scope is refused (400 user.scope) and its denied audit row is kept', async () => {
    const cookie = await ts.login('area-admin-wuhua');
    const r = await ts.request({
      method: 'POST',
      url: '/api/v1/users',
      cookie,
      headers: { 'accept-language': 'en' },
      body: {
        username: 'not-allowed-admin',
        displayName: 'Not allowed',
        role: 'city_admin',
        password: 'a-long-enough-password',
      },
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const requestId = String(r.headers['x-request-id']);
    expect(r.json()).toMatchObject({
      status: 400,
      code: 'user.scope',
      requestId,
      detail: expect.stringContaining('an area administrator may create only staff accounts'),
    });
    expect(await auditOf(requestId)).toEqual([
      {
        action: 'user.create',
        outcome: 'denied',
        actor_role: 'area_admin',
        actor_area: '530102',
        subject_id: null,
        details: {
          username: 'not-allowed-admin',
          reason: 'an area administrator may create only staff accounts',
        },
      },
    ]);
    const created = await ts.deps.db.kysely
      .selectFrom('app_user')
      .select('id')
      .where('username', '=', 'not-allowed-admin')
      .executeTakeFirst();
    expect(created).toBeUndefined();
    expect(await verifyAudit(ts.deps.db.kysely)).toMatchObject({ ok: true });
  });

  it('a creation in scope is created (201) and audited once as a success', async () => {
    const cookie = await ts.login('area-admin-wuhua');
    const r = await ts.request({
      method: 'POST',
      url: '/api/v1/users',
      cookie,
      body: {
        username: 'new-staff-wuhua',
        displayName: '新员工',
        role: 'staff',
        areaCode: '530102',
        departmentCode: departmentCode('health', '530102'),
        password: 'a-long-enough-password',
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const rows = await auditOf(String(r.headers['x-request-id']));
    expect(rows.map((x) => [x.action, x.outcome, x.subject_id])).toEqual([
      ['user.create', 'success', String(r.json().id)],
    ]);
  });
});
