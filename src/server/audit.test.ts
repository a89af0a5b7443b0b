import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from './audit.ts';
import { type Actor, inTransaction, SYSTEM } from './context.ts';
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
