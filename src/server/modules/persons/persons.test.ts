import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streetsOf } from '../../../domain/areas.ts';
import { makeIdNumber } from '../../../domain/id-number.ts';
import { verifyAudit } from '../../audit.ts';
import { insertPerson } from '../../seed/demo-accounts.ts';
import { auditOf as auditRows, createTestServer, type TestServer } from '../../test-support.ts';

let ts: TestServer;
let cookie: string;
/** A person in 盘龙区 (530103): outside the 五华区 administrator's scope. */
let outside: number;
/** A person in 五华区 (530102): inside it. */
let inside: number;

beforeAll(async () => {
  ts = await createTestServer();
  const person = (areaCode: string, seq: number) => {
    const street = streetsOf(areaCode)[0].code;
    const idNumber = makeIdNumber(street.slice(0, 6), '1991-05-06', seq);
    return insertPerson(ts.deps.db.kysely, ts.deps.cipher, {
      idNumber,
      name: `测试${seq}`,
      sex: 'female',
      birthDate: '1991-05-06',
      areaCode,
      streetCode: street,
    });
  };
  outside = await person('530103', 701);
  inside = await person('530102', 702);
  cookie = await ts.login('area-admin-wuhua');
});
afterAll(async () => {
  expect(ts.leaks).toEqual([]);
  await ts.close();
});

/** The audit rows one request wrote. */
const auditOf = (r: { headers: Record<string, unknown> }) =>
  auditRows(ts, r, ['action', 'subject_type', 'subject_id', 'outcome', 'details']);

/** Asks to reveal a person's full ID number for a stated reason. */
const reveal = (id: number, reason: string) =>
  ts.request({ method: 'POST', url: `/api/v1/persons/${id}/reveal`, cookie, body: { reason } });

describe('refused reads of personal data are answered as before and audited once', () => {
  it.each([
    ['GET /persons/:id', 'person.read'],
    ['GET /registry/persons/:id', 'registry.person_read'],
  ])('%s of a person out of scope: 404 person.not_found, one denied row', async (route, action) => {
    const url = `/api/v1${route.split(' ')[1].replace(':id', String(outside))}`;
    const r = await ts.request({ method: 'GET', url, cookie });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.json()).toMatchObject({
      status: 404,
      code: 'person.not_found',
      requestId: r.headers['x-request-id'],
    });
    expect(await auditOf(r)).toEqual([
      { action, subject_type: 'person', subject_id: String(outside), outcome: 'denied', details: {} },
    ]);
    const ok = await ts.request({ method: 'GET', url: url.replace(String(outside), String(inside)), cookie });
    expect(ok.statusCode).toBe(200);
    expect(await auditOf(ok)).toEqual([
      { action, subject_type: 'person', subject_id: String(inside), outcome: 'success', details: {} },
    ]);
  });

  it('a reveal without a real reason: 400, one denied row, no number', async () => {
    const r = await reveal(inside, '    ');
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ status: 400, code: 'person.reveal_reason_required' });
    expect(r.json()).not.toHaveProperty('idNumber');
    expect(await auditOf(r)).toEqual([
      {
        action: 'person.reveal_id',
        subject_type: 'person',
        subject_id: String(inside),
        outcome: 'denied',
        details: { reason: 'reason_required' },
      },
    ]);
  });

  it('a reveal of a person out of scope: 404, one denied row with the stated reason', async () => {
    const r = await reveal(outside, '核对出生登记');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ status: 404, code: 'person.not_found' });
    expect(await auditOf(r)).toEqual([
      {
        action: 'person.reveal_id',
        subject_type: 'person',
        subject_id: String(outside),
        outcome: 'denied',
        details: { reason: '核对出生登记' },
      },
    ]);
  });

  it('a reveal in scope with a reason: 200, no-store, one success row; the chain holds', async () => {
    const r = await reveal(inside, '核对出生登记');
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.json().idNumber).toMatch(/^530102\d{11}[\dX]$/);
    expect((await auditOf(r)).map((x) => x.outcome)).toEqual(['success']);
    expect(await verifyAudit(ts.deps.db.kysely)).toMatchObject({ ok: true });
  });
});
