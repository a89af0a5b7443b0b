/**
 * The explicit context every service gets: who acts (actor and scope), in which transaction,
 * at what time, with which cipher, and an audit sink whose rows are written in the same
 * transaction just before it commits (fail-closed: no audit, no commit). A refusal
 * (`ctx.refuse`) rolls the transaction back but its own audit row is still written.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Database, Role } from '../db/schema.ts';
import type { Cipher } from '../security/crypto.ts';
import { type AuditEvent, appendAudit } from './audit.ts';
import type { Permission } from './auth/permissions.ts';
import type { AppError } from './errors.ts';

export type Actor = {
  userId: number | null;
  role: Role | 'anonymous' | 'system';
  /** Management area the actor is confined to; null = whole city (or none, for anonymous). */
  areaCode: string | null;
  departmentCode: string | null;
  /** For citizens: their own person record. */
  personId: number | null;
  displayName: string;
  permissions: ReadonlySet<Permission>;
};

export const ANONYMOUS: Actor = {
  userId: null,
  role: 'anonymous',
  areaCode: null,
  departmentCode: null,
  personId: null,
  displayName: 'anonymous',
  permissions: new Set(),
};

export const SYSTEM: Actor = { ...ANONYMOUS, role: 'system', displayName: 'system' };

export type Deps = {
  db: Db;
  cipher: Cipher;
  clock: () => Date;
};

export type Ctx = {
  trx: Transaction<Database>;
  actor: Actor;
  requestId: string | null;
  now: Date;
  cipher: Cipher;
  audit(event: AuditEvent): void;
  /**
   * Refuses the action: records `event` and throws `error`. The transaction rolls back (its
   * writes and its other audit events with it), but the refusal's row is still written.
   */
  refuse(event: RefusalEvent, error: AppError): never;
};

export type RefusalEvent = AuditEvent & { outcome: 'denied' | 'failure' };

/**
 * Runs `fn` in one transaction whose audit rows are appended before commit. If `fn` throws
 * after a `ctx.refuse`, the transaction rolls back and the refusals are then appended in a
 * short transaction of their own (same writer, same lock, so the chain stays whole); if that
 * write fails, its error is thrown instead (fail-closed).
 */
export async function inTransaction<T>(
  deps: Deps,
  actor: Actor,
  requestId: string | null,
  fn: (ctx: Ctx) => Promise<T>,
): Promise<T> {
  const kysely: Kysely<Database> = deps.db.kysely;
  const now = deps.clock();
  const refusals: RefusalEvent[] = [];
  try {
    return await kysely.transaction().execute(async (trx) => {
      const events: AuditEvent[] = [];
      const ctx: Ctx = {
        trx,
        actor,
        requestId,
        now,
        cipher: deps.cipher,
        audit: (e) => events.push(e),
        refuse(e, error) {
          events.push(e);
          refusals.push(e);
          throw error;
        },
      };
      const result = await fn(ctx);
      // fn caught a refusal and goes on: its row is among `events`, written in this transaction.
      if (events.length) await appendAudit(trx, actor, requestId, now, events);
      return result;
    });
  } catch (err) {
    // Rolled back, whatever failed (fn, the audit append or the commit itself): the refusals,
    // even one fn caught, are then written on their own.
    if (refusals.length) {
      await kysely.transaction().execute((trx) => appendAudit(trx, actor, requestId, now, refusals));
    }
    throw err;
  }
}
