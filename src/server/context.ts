/**
 * The explicit context every service gets: who acts (actor and scope), in which transaction,
 * at what time, with which cipher, and an audit sink whose rows are written in the same
 * transaction just before it commits (fail-closed: no audit, no commit).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Database, Role } from '../db/schema.ts';
import type { Cipher } from '../security/crypto.ts';
import { type AuditEvent, appendAudit } from './audit.ts';
import type { Permission } from './auth/permissions.ts';

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
};

/** Runs `fn` in one transaction whose audit rows are appended before commit. */
export async function inTransaction<T>(
  deps: Deps,
  actor: Actor,
  requestId: string | null,
  fn: (ctx: Ctx) => Promise<T>,
): Promise<T> {
  const kysely: Kysely<Database> = deps.db.kysely;
  return kysely.transaction().execute(async (trx) => {
    const events: AuditEvent[] = [];
    const now = deps.clock();
    const ctx: Ctx = { trx, actor, requestId, now, cipher: deps.cipher, audit: (e) => events.push(e) };
    const result = await fn(ctx);
    if (events.length) await appendAudit(trx, actor, requestId, now, events);
    return result;
  });
}
