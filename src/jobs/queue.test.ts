import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../server/test-support.ts';
import { claim, drain, enqueue, jobStatus } from './queue.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await createTestServer({ seedDemo: false });
});
afterAll(async () => {
  await ts.close();
});

describe('durable job queue', () => {
  it('makes one job of the same idempotency key, submitted twice', async () => {
    const a = await enqueue(ts.deps.db.kysely, 'test', { n: 1 }, { idempotencyKey: 'same' });
    const b = await enqueue(ts.deps.db.kysely, 'test', { n: 1 }, { idempotencyKey: 'same' });
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    const seen: number[] = [];
    expect(
      await drain(ts.deps.db, 'test', async (ctx) => {
        seen.push(ctx.job.id);
        await ctx.progress({ done: 1, total: 1 });
        return { ok: true };
      }),
    ).toBe(1);
    expect(seen).toEqual([a.id]);
    expect(await jobStatus(ts.deps.db, a.id)).toMatchObject({
      state: 'succeeded',
      result: { ok: true },
      progress: { done: 1, total: 1 },
    });
  });

  it('a job whose worker died is claimed again when its lease runs out', async () => {
    const { id } = await enqueue(ts.deps.db.kysely, 'lease', {});
    // The job is due from the database's now(); the test's clock starts just after it.
    const t0 = new Date(Date.now() + 60_000);
    const first = await claim(ts.deps.db, 'lease', t0, 10_000);
    expect(first?.id).toBe(id);
    // The worker "crashes": nothing completes the job. Within the lease nobody else gets it.
    expect(await claim(ts.deps.db, 'lease', new Date(t0.getTime() + 5_000), 10_000)).toBeUndefined();
    const again = await claim(ts.deps.db, 'lease', new Date(t0.getTime() + 11_000), 10_000);
    expect(again).toMatchObject({ id, attempts: 2 });
  });

  it('retries with back-off, then fails for good after max attempts', async () => {
    const { id } = await enqueue(ts.deps.db.kysely, 'flaky', {}, { maxAttempts: 2 });
    let now = new Date(Date.now() + 60_000);
    const clock = () => now;
    const boom = async () => {
      throw new Error('department feed unavailable');
    };
    expect(await drain(ts.deps.db, 'flaky', boom, clock)).toBe(1);
    expect(await jobStatus(ts.deps.db, id)).toMatchObject({
      state: 'queued',
      error: 'department feed unavailable',
    });
    now = new Date(now.getTime() + 60_000);
    expect(await drain(ts.deps.db, 'flaky', boom, clock)).toBe(1);
    expect(await jobStatus(ts.deps.db, id)).toMatchObject({ state: 'failed', attempts: 2 });
  });
});
