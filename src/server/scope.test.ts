import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementAreas, streetsOf } from '../domain/areas.ts';
import { makeIdNumber } from '../domain/id-number.ts';
import { totpFor } from './auth/service.ts';
import { inTransaction, SYSTEM } from './context.ts';
import { createUser } from './modules/users/service.ts';
import { insertPerson } from './seed/demo-accounts.ts';
import { departmentCode } from './seed/reference.ts';
import { createTestServer, type TestServer } from './test-support.ts';

type Person = { id: number; areaCode: string; idNumber: string; parentId: number | null };
type ActorCase =
  | { kind: 'staff' | 'area_admin'; areaCode: string; cookie: string }
  | { kind: 'city_admin' | 'auditor'; cookie: string }
  | { kind: 'citizen'; personId: number; cookie: string };

let ts: TestServer;
const people: Person[] = [];
const actors: ActorCase[] = [];

beforeAll(async () => {
  ts = await createTestServer();
  // Three people per area: a parent, their child registered in the same area, and a child of
  // the same parent registered in the next area (families cross area lines).
  let seq = 100;
  for (const [i, a] of managementAreas.entries()) {
    const next = managementAreas[(i + 1) % managementAreas.length];
    const street = streetsOf(a.code)[0].code;
    const parentIdNo = makeIdNumber(street.slice(0, 6), '1990-03-0' + ((i % 9) + 1), seq++);
    const parentId = await insertPerson(ts.deps.db.kysely, ts.deps.cipher, {
      idNumber: parentIdNo,
      name: `家长${i}`,
      sex: 'female',
      birthDate: parentIdNo.slice(6, 10) + '-03-0' + ((i % 9) + 1),
      areaCode: a.code,
      streetCode: street,
      phone: `1380000${String(1000 + i)}`,
    });
    people.push({ id: parentId, areaCode: a.code, idNumber: parentIdNo, parentId: null });
    for (const [j, area] of [a, next].entries()) {
      const st = streetsOf(area.code)[0].code;
      const idNo = makeIdNumber(st.slice(0, 6), `2023-0${j + 1}-1${i % 10}`, seq++);
      const id = await insertPerson(ts.deps.db.kysely, ts.deps.cipher, {
        idNumber: idNo,
        name: `孩子${i}-${j}`,
        sex: 'male',
        birthDate: `2023-0${j + 1}-1${i % 10}`,
        areaCode: area.code,
        streetCode: st,
        motherId: parentId,
      });
      people.push({ id, areaCode: area.code, idNumber: idNo, parentId });
    }
  }
  const login = async (username: string, password: string, secret: string) => {
    const r = await ts.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { username, password, totp: totpFor(secret).generate({ timestamp: ts.clock.now.getTime() }) },
    });
    const c = r.cookies.find((x) => x.name === 'jh_session');
    if (!c) throw new Error(r.body);
    return `jh_session=${c.value}`;
  };
  for (const a of managementAreas) {
    for (const role of ['staff', 'area_admin'] as const) {
      const username = `${role}-${a.code}`.replace('_', '-');
      const password = 'matrix-password-123';
      const u = await inTransaction(ts.deps, { ...SYSTEM, role: 'city_admin' as never }, null, (ctx) =>
        createUser(ctx, {
          username,
          displayName: username,
          role,
          areaCode: a.code,
          departmentCode: role === 'staff' ? departmentCode('health', a.code) : null,
          password,
        }),
      );
      actors.push({ kind: role, areaCode: a.code, cookie: await login(username, password, u.totpSecret) });
    }
  }
  actors.push({ kind: 'city_admin', cookie: await ts.login('city-admin') });
  actors.push({ kind: 'auditor', cookie: await ts.login('auditor') });
  for (const p of people.filter((x) => x.parentId === null).slice(0, 4)) {
    actors.push({ kind: 'citizen', personId: p.id, cookie: await ts.citizenLogin(p.idNumber) });
  }
}, 180_000);

afterAll(async () => {
  expect(ts.leaks).toEqual([]);
  await ts.close();
});

function mayRead(actor: ActorCase, p: Person): boolean {
  switch (actor.kind) {
    case 'staff':
    case 'area_admin':
      return actor.areaCode === p.areaCode;
    case 'city_admin':
      return true;
    case 'auditor':
      return false;
    case 'citizen':
      return p.id === actor.personId || p.parentId === actor.personId;
  }
}

describe('role × area × record matrix', () => {
  it('reads a person exactly when the actor’s scope covers them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(actors.length - 1), fc.nat(people.length - 1), async (ai, pi) => {
        const actor = actors[ai];
        const p = people[pi];
        if (actor.kind === 'citizen') {
          const me = await ts.request({ method: 'GET', url: '/api/v1/me/person', cookie: actor.cookie });
          expect(me.statusCode).toBe(200);
          const kids: string[] = me
            .json()
            .person.children.map((c: { idNumberMasked: string }) => c.idNumberMasked);
          const own = people
            .filter((x) => x.parentId === actor.personId)
            .map((x) => `${x.idNumber.slice(0, 4)}**********${x.idNumber.slice(-4)}`);
          expect(kids.sort()).toEqual(own.sort());
          // Citizens have no registry search or read permission at all.
          expect(
            (await ts.request({ method: 'GET', url: `/api/v1/persons/${p.id}`, cookie: actor.cookie }))
              .statusCode,
          ).toBe(403);
          return;
        }
        const r = await ts.request({ method: 'GET', url: `/api/v1/persons/${p.id}`, cookie: actor.cookie });
        if (actor.kind === 'auditor') expect(r.statusCode).toBe(403);
        else expect(r.statusCode).toBe(mayRead(actor, p) ? 200 : 404);
        if (actor.kind !== 'auditor') {
          const s = await ts.request({
            method: 'POST',
            url: '/api/v1/registry/search',
            body: { idNumber: p.idNumber },
            cookie: actor.cookie,
          });
          expect(s.statusCode).toBe(200);
          expect(s.json().persons.length).toBe(mayRead(actor, p) ? 1 : 0);
        }
      }),
      { seed: 20261129, numRuns: 150 },
    );
  });

  it('a search never returns anyone outside the staff member’s area', async () => {
    for (const actor of actors.filter((a) => a.kind === 'staff')) {
      const r = await ts.request({
        method: 'POST',
        url: '/api/v1/registry/search',
        body: { limit: 200 },
        cookie: actor.cookie,
      });
      for (const p of r.json().persons) expect(p.areaCode).toBe(actor.kind === 'staff' ? actor.areaCode : '');
    }
  });

  it('every read of personal data left an audit row', async () => {
    const rows = await ts.deps.db.kysely
      .selectFrom('audit_log')
      .select(['action'])
      .where('action', 'in', ['person.read', 'person.search', 'person.read_own'])
      .execute();
    expect(rows.length).toBeGreaterThan(150);
  });
});
