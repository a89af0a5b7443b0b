/**
 * The hash-chained audit log. Each row's hash is SM3(previous hash ‖ canonical row); rows are
 * appended under a transaction-scoped advisory lock so concurrent writers cannot fork the
 * chain. The database refuses UPDATE/DELETE/TRUNCATE (trigger, and grants on a server).
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { sm3Hex } from '../security/crypto.ts';
import type { Actor } from './context.ts';

export type AuditEvent = {
  action: string;
  subjectType?: string;
  subjectId?: string | number;
  outcome: 'success' | 'denied' | 'failure';
  details?: Record<string, string | number | boolean | null>;
};

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_LOCK = 4242002;

type ChainFields = {
  occurred_at: Date;
  actor_id: number | null;
  actor_role: string | null;
  actor_area: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  outcome: string;
  request_id: string | null;
  details: Record<string, unknown>;
};

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

export function chainHash(prevHash: string, row: ChainFields): string {
  const body = canonical({ ...row, occurred_at: new Date(row.occurred_at).toISOString() });
  return sm3Hex(`${prevHash}\n${body}`);
}

export async function appendAudit(
  trx: Transaction<Database>,
  actor: Actor,
  requestId: string | null,
  now: Date,
  events: AuditEvent[],
): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  let prev = last?.hash ?? GENESIS_HASH;
  for (const e of events) {
    const fields: ChainFields = {
      occurred_at: now,
      actor_id: actor.userId,
      actor_role: actor.role,
      actor_area: actor.areaCode,
      action: e.action,
      subject_type: e.subjectType ?? null,
      subject_id: e.subjectId === undefined ? null : String(e.subjectId),
      outcome: e.outcome,
      request_id: requestId,
      details: e.details ?? {},
    };
    const hash = chainHash(prev, fields);
    await trx
      .insertInto('audit_log')
      .values({ ...fields, details: JSON.stringify(fields.details), prev_hash: prev, hash })
      .execute();
    prev = hash;
  }
}

export type VerifyResult =
  | { ok: true; rows: number; lastHash: string }
  | { ok: false; rows: number; firstBadId: number; reason: 'hash_mismatch' | 'chain_broken' };

/** Walks the whole chain in id order; reports the first row whose hash or link is wrong. */
export async function verifyAudit(db: Kysely<Database>, batch = 5000): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let afterId = 0;
  let rows = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (page.length === 0) return { ok: true, rows, lastHash: prev };
    for (const r of page) {
      if (r.prev_hash !== prev) return { ok: false, rows, firstBadId: r.id, reason: 'chain_broken' };
      const expected = chainHash(prev, {
        occurred_at: r.occurred_at,
        actor_id: r.actor_id,
        actor_role: r.actor_role,
        actor_area: r.actor_area,
        action: r.action,
        subject_type: r.subject_type,
        subject_id: r.subject_id,
        outcome: r.outcome,
        request_id: r.request_id,
        details: r.details,
      });
      if (expected !== r.hash) return { ok: false, rows, firstBadId: r.id, reason: 'hash_mismatch' };
      prev = r.hash;
      rows++;
      afterId = r.id;
    }
  }
}
