import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../seed/demo-accounts.ts';
import { createTestServer, type TestServer } from '../test-support.ts';
import { lastCodeFor } from './sms.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await createTestServer();
});
afterAll(async () => {
  expect(ts.leaks).toEqual([]);
  await ts.close();
});

const login = (body: object) => ts.request({ method: 'POST', url: '/api/v1/auth/login', body });

describe('staff sign-in', () => {
  it('signs each staff-side role in with password and TOTP, and /auth/me reports the role', async () => {
    for (const [username, role] of [
      ['city-admin', 'city_admin'],
      ['area-admin-wuhua', 'area_admin'],
      ['staff-health-wuhua', 'staff'],
      ['auditor', 'auditor'],
    ]) {
      const cookie = await ts.login(username);
      const me = await ts.request({ method: 'GET', url: '/api/v1/auth/me', cookie });
      expect(me.statusCode).toBe(200);
      expect(me.json().user.role).toBe(role);
    }
  });

  it('asks for the second factor, and refuses a wrong one', async () => {
    const r = await login({ username: 'staff-health-panlong', password: DEMO_PASSWORD });
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('auth.totp_required');
    const wrong = await login({ username: 'staff-health-panlong', password: DEMO_PASSWORD, totp: '000000' });
    expect(wrong.json().code).toBe('auth.totp_invalid');
  });

  it('locks the account for 15 minutes after 5 failures, even for the right password', async () => {
    for (let i = 0; i < 4; i++)
      expect((await login({ username: 'auditor', password: 'wrong-password' })).json().code).toBe(
        'auth.invalid_credentials',
      );
    const fifth = await login({ username: 'auditor', password: 'wrong-password' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('auth.locked');
    await expect(ts.login('auditor')).rejects.toThrow(/423/);
    ts.clock.advance(15 * 60_000 + 1000);
    const cookie = await ts.login('auditor');
    expect(cookie).toMatch(/^jh_session=/);
  });

  it('expires idle sessions and revokes on sign-out', async () => {
    const cookie = await ts.login('staff-health-wuhua');
    expect((await ts.request({ method: 'GET', url: '/api/v1/auth/me', cookie })).statusCode).toBe(200);
    ts.clock.advance(31 * 60_000);
    const expired = await ts.request({ method: 'GET', url: '/api/v1/auth/me', cookie });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('auth.session_expired');

    const c2 = await ts.login('staff-health-wuhua');
    expect((await ts.request({ method: 'POST', url: '/api/v1/auth/logout', cookie: c2 })).statusCode).toBe(
      204,
    );
    expect((await ts.request({ method: 'GET', url: '/api/v1/auth/me', cookie: c2 })).statusCode).toBe(401);
  });

  it("lets an administrator revoke a user's sessions", async () => {
    const staff = await ts.login('staff-health-wuhua');
    const me = (await ts.request({ method: 'GET', url: '/api/v1/auth/me', cookie: staff })).json().user;
    const admin = await ts.login('area-admin-wuhua');
    const r = await ts.request({ method: 'DELETE', url: `/api/v1/users/${me.id}/sessions`, cookie: admin });
    expect(r.statusCode).toBe(200);
    expect(r.json().revoked).toBeGreaterThanOrEqual(1);
    expect((await ts.request({ method: 'GET', url: '/api/v1/auth/me', cookie: staff })).statusCode).toBe(401);
  });

  it('answers in English when asked', async () => {
    const r = await ts.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { username: 'nobody', password: 'x' },
      headers: { 'accept-language': 'en-US,en' },
    });
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.json().detail).toBe('Wrong username or password');
  });
});

describe('citizen sign-in', () => {
  it('sends a code by the SMS gateway (written to the log, masked) and signs in with it', async () => {
    const cookie = await ts.citizenLogin(DEMO_CITIZEN_ID);
    const me = await ts.request({ method: 'GET', url: '/api/v1/me/person', cookie });
    expect(me.statusCode).toBe(200);
    expect(me.json().person.idNumberMasked).toBe(
      `${DEMO_CITIZEN_ID.slice(0, 4)}**********${DEMO_CITIZEN_ID.slice(-4)}`,
    );
    expect(me.json().person.children).toHaveLength(2);
    expect(ts.logLines.some((l) => l.includes('[dev SMS gateway]') && l.includes('138****1234'))).toBe(true);
  });

  it('refuses a wrong code and a reused code', async () => {
    await ts.request({
      method: 'POST',
      url: '/api/v1/auth/citizen/code',
      body: { idNumber: DEMO_CITIZEN_ID },
    });
    const code = lastCodeFor(DEMO_CITIZEN_ID)!;
    const wrong = code === '000000' ? '000001' : '000000';
    const bad = await ts.request({
      method: 'POST',
      url: '/api/v1/auth/citizen/login',
      body: { idNumber: DEMO_CITIZEN_ID, code: wrong },
    });
    expect(bad.json().code).toBe('auth.code_invalid');
    const ok = await ts.request({
      method: 'POST',
      url: '/api/v1/auth/citizen/login',
      body: { idNumber: DEMO_CITIZEN_ID, code },
    });
    expect(ok.statusCode).toBe(200);
    const again = await ts.request({
      method: 'POST',
      url: '/api/v1/auth/citizen/login',
      body: { idNumber: DEMO_CITIZEN_ID, code },
    });
    expect(again.statusCode).toBe(401);
  });

  it('rejects an invalid ID number with 400 naming the field', async () => {
    const r = await ts.request({
      method: 'POST',
      url: '/api/v1/auth/citizen/code',
      body: { idNumber: '530102199204010000' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].path).toBe('/idNumber');
  });
});
