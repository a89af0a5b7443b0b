import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain } from '../../../jobs/queue.ts';
import { jobHandlers } from '../../job-handlers.ts';
import { createTestServer, type TestServer } from '../../test-support.ts';
import { BUDGET_QUEUE } from './service.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await createTestServer();
});
afterAll(async () => {
  await ts.close();
});

describe('budget simulation', () => {
  it('lists the reforms, runs one as a job (submitted twice: one job) and reports the difference', async () => {
    const cookie = await ts.login('city-admin');
    const reforms = (await ts.request({ method: 'GET', url: '/api/v1/budget/reforms', cookie })).json()
      .reforms;
    expect(reforms.map((r: { id: string }) => r.id)).toContain('third-child-10000');
    const body = { years: [2024, 2025], reform: 'third-child-10000', persons: 20000, seed: 7 };
    const a = await ts.request({ method: 'POST', url: '/api/v1/budget/simulations', cookie, body });
    const b = await ts.request({ method: 'POST', url: '/api/v1/budget/simulations', cookie, body });
    expect(a.statusCode).toBe(202);
    expect(b.json()).toEqual({ jobId: a.json().jobId, created: false });
    expect(await drain(ts.deps.db, BUDGET_QUEUE, jobHandlers(ts.deps)[BUDGET_QUEUE])).toBe(1);
    const job = (await ts.request({ method: 'GET', url: `/api/v1/jobs/${a.json().jobId}`, cookie })).json();
    expect(job.state).toBe('succeeded');
    const y2025 = job.result.years.find((y: { current: { year: number } }) => y.current.year === 2025);
    expect(y2025.reform.difference.programmes.one_time_birth_subsidy).toBeGreaterThan(0);
    expect(y2025.reform.familiesLosing).toBe(0);
    const y2024 = job.result.years.find((y: { current: { year: number } }) => y.current.year === 2024);
    expect(y2024.reform.difference.cashTotalFen).toBe(0);
  });

  it('runs over the registry: the demo family’s second child (2024) counts in 2024', async () => {
    const cookie = await ts.login('city-admin');
    const r = await ts.request({
      method: 'POST',
      url: '/api/v1/budget/simulations',
      cookie,
      body: { years: [2024], population: 'registry' },
    });
    expect(r.statusCode).toBe(202);
    await drain(ts.deps.db, BUDGET_QUEUE, jobHandlers(ts.deps)[BUDGET_QUEUE]);
    const job = (await ts.request({ method: 'GET', url: `/api/v1/jobs/${r.json().jobId}`, cookie })).json();
    expect(job.state).toBe('succeeded');
    // 王梓轩, born 2024-03-15, second child with 五华 hukou: the 2,000-yuan one-time subsidy.
    expect(job.result.years[0].current.programmes.one_time_birth_subsidy).toMatchObject({
      amount: 200000,
      eligible: 1,
    });
  });

  it('is for planners only, and a job is visible only to whoever started it', async () => {
    const staff = await ts.login('staff-health-wuhua');
    expect(
      (await ts.request({ method: 'GET', url: '/api/v1/budget/reforms', cookie: staff })).statusCode,
    ).toBe(403);
    expect((await ts.request({ method: 'GET', url: '/api/v1/jobs/1', cookie: staff })).statusCode).toBe(404);
  });
});
