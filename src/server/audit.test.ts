import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from './audit.ts';
import { type Actor, type Ctx, inTransaction, SYSTEM } from './context.ts';
import { AppError } from './errors.ts';
import { createTestServer, dbKindUnderTest, type TestServer } from './test-support.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await createTestServer({ seedDemo: false });
});
afterAll(async () => {
  await ts.close();
});

const actor = (i: number): Actor => ({ ...SYSTEM, userId: null, role: 'system', displayName: `writer-${i}` });

describe('hash-chained audit', () => {
  it('16 concurrent writers × 100 events keep one unbroken chain', async () => {
    const before = await verifyAudit(ts.deps.db.kysely);
    expect(before.ok).toBe(true);
    await Promise.all(
      Array.from({ length: 16 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 100; i++) {
            await inTransaction(ts.deps, actor(w), `w${w}-${i}`, async (ctx) => {
              ctx.audit({
                action: 'test.event',
                subjectType: 'writer',
                subjectId: w,
                outcome: 'success',
                details: { i },
              });
            });
          }
        })(),
      ),
    );
    const r = await verifyAudit(ts.deps.db.kysely);
    expect(r).toMatchObject({ ok: true, rows: before.rows + 1600 });
  });

  it('refuses UPDATE and DELETE', async () => {
    await expect(
      sql`update audit_log set outcome = 'denied' where id = 1`.execute(ts.deps.db.kysely),
    ).rejects.toThrow();
    await expect(sql`delete from audit_log where id = 1`.execute(ts.deps.db.kysely)).rejects.toThrow();
  });

  it.runIf(dbKindUnderTest === 'server')(
    'the application role lacks UPDATE/DELETE privileges on a server',
    async () => {
      const r = await sql<{
        u: boolean;
        d: boolean;
        i: boolean;
      }>`select has_table_privilege('junheng_app', 'audit_log', 'UPDATE') as u,
      has_table_privilege('junheng_app', 'audit_log', 'DELETE') as d, has_table_privilege('junheng_app', 'audit_log', 'INSERT') as i`.execute(
        ts.deps.db.kysely,
      );
      expect(r.rows[0]).toEqual({ u: false, d: false, i: true });
      const who = await sql<{ current_user: string }>`select current_user`.execute(ts.deps.db.kysely);
      expect(who.rows[0].current_user).toBe('junheng_app');
    },
  );

  it('an audit write failure rolls the business write back', async () => {
    const count = async () =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from street`.execute(ts.deps.db.kysely)).rows[0].n,
      );
    const before = await count();
    await expect(
      inTransaction(ts.deps, SYSTEM, null, async (ctx) => {
        await ctx.trx
          .insertInto('street')
          .values({ code: '530102999', name: '测试街道', county_code: '530102', area_code: '530102' })
          .execute();
        // action is NOT NULL: the audit insert fails, so must the whole transaction.
        ctx.audit({ action: null as unknown as string, outcome: 'success' });
      }),
    ).rejects.toThrow();
    expect(await count()).toBe(before);
  });

  describe('ctx.refuse', () => {
    const streets = async () =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from street`.execute(ts.deps.db.kysely)).rows[0].n,
      );
    const lastAuditId = async () =>
      (
        await ts.deps.db.kysely
          .selectFrom('audit_log')
          .select('id')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst()
      )?.id ?? 0;
    const auditAfter = (id: number) =>
      ts.deps.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'outcome', 'request_id', 'details'])
        .where('id', '>', id)
        .orderBy('id')
        .execute();
    const insertStreet = (ctx: Ctx) =>
      ctx.trx
        .insertInto('street')
        .values({ code: '530102998', name: '测试街道', county_code: '530102', area_code: '530102' })
        .execute();

    it('rolls the work back, keeps only the refusal’s audit row, throws the AppError', async () => {
      const [streetsBefore, after] = [await streets(), await lastAuditId()];
      const refused = inTransaction(ts.deps, SYSTEM, 'refuse-1', async (ctx) => {
        await insertStreet(ctx);
        ctx.audit({ action: 'test.work', outcome: 'success' });
        ctx.refuse(
          { action: 'test.refused', outcome: 'denied', details: { why: 'out of scope' } },
          new AppError('auth.forbidden'),
        );
      });
      await expect(refused).rejects.toBeInstanceOf(AppError);
      await expect(refused).rejects.toMatchObject({ code: 'auth.forbidden' });
      expect(await streets()).toBe(streetsBefore);
      expect(await auditAfter(after)).toEqual([
        {
          action: 'test.refused',
          outcome: 'denied',
          request_id: 'refuse-1',
          details: { why: 'out of scope' },
        },
      ]);
      expect(await verifyAudit(ts.deps.db.kysely)).toMatchObject({ ok: true });
    });

    it('keeps the chain whole under concurrent refusals and successes', async () => {
      const before = await verifyAudit(ts.deps.db.kysely);
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          inTransaction(ts.deps, actor(i), `c${i}`, async (ctx) => {
            ctx.audit({ action: 'test.work', outcome: 'success', details: { i } });
            if (i % 2)
              ctx.refuse({ action: 'test.refused', outcome: 'failure' }, new AppError('auth.forbidden'));
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(20);
      // 20 successes write their work row, 20 refusals only their refusal row.
      expect(await verifyAudit(ts.deps.db.kysely)).toMatchObject({ ok: true, rows: before.rows + 40 });
    });

    it('a refusal the callback catches commits with the rest, in order', async () => {
      const after = await lastAuditId();
      await inTransaction(ts.deps, SYSTEM, 'refuse-2', async (ctx) => {
        ctx.audit({ action: 'test.first', outcome: 'success' });
        try {
          ctx.refuse({ action: 'test.refused', outcome: 'denied' }, new AppError('auth.forbidden'));
        } catch {
          ctx.audit({ action: 'test.fallback', outcome: 'success' });
        }
      });
      expect((await auditAfter(after)).map((r) => `${r.action}:${r.outcome}`)).toEqual([
        'test.first:success',
        'test.refused:denied',
        'test.fallback:success',
      ]);
    });

    it('a caught refusal is still written when the transaction then fails at its audit append', async () => {
      const after = await lastAuditId();
      const failed = inTransaction(ts.deps, SYSTEM, 'refuse-4', async (ctx) => {
        await insertStreet(ctx);
        try {
          ctx.refuse({ action: 'test.refused', outcome: 'denied' }, new AppError('auth.forbidden'));
        } catch {
          // action is NOT NULL: the transaction's own audit append fails, and it rolls back.
          ctx.audit({ action: null as unknown as string, outcome: 'success' });
        }
      });
      await expect(failed).rejects.not.toBeInstanceOf(AppError);
      expect((await auditAfter(after)).map((r) => `${r.action}:${r.outcome}:${r.request_id}`)).toEqual([
        'test.refused:denied:refuse-4',
      ]);
      expect(await verifyAudit(ts.deps.db.kysely)).toMatchObject({ ok: true });
    });

    it('fails closed: if the refusal’s audit row cannot be written, that error is thrown', async () => {
      const after = await lastAuditId();
      const refused = inTransaction(ts.deps, SYSTEM, 'refuse-3', async (ctx) => {
        // action is NOT NULL: the refusal's own audit insert fails.
        ctx.refuse({ action: null as unknown as string, outcome: 'denied' }, new AppError('auth.forbidden'));
      });
      await expect(refused).rejects.toThrow();
      await expect(refused).rejects.not.toBeInstanceOf(AppError);
      expect(await auditAfter(after)).toEqual([]);
    });
  });

  it('`audit verify` finds the first altered row', async () => {
    const target = await ts.deps.db.kysely
      .selectFrom('audit_log')
      .select('id')
      .orderBy('id')
      .offset(700)
      .limit(1)
      .executeTakeFirstOrThrow();
    // Tampering needs the owner to switch the guard off: done here through the admin connection.
    await ts.deps.db.admin((run) =>
      run(`alter table audit_log disable trigger audit_log_no_update;
           update audit_log set outcome = 'denied' where id = ${target.id};
           alter table audit_log enable trigger audit_log_no_update;`),
    );
    const r = await verifyAudit(ts.deps.db.kysely);
    expect(r).toMatchObject({ ok: false, firstBadId: target.id, reason: 'hash_mismatch' });
  });
});
