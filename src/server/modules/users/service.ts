/** Account administration: creating staff-side accounts within one's own scope, revoking sessions. */
import type { Kysely } from 'kysely';
import type { Database, Role } from '../../../db/schema.ts';
import { hashPassword, newTotpSecret, revokeUserSessions, totpFor } from '../../auth/service.ts';
import type { Ctx } from '../../context.ts';
import { AppError } from '../../errors.ts';

export type NewUser = {
  username: string;
  displayName: string;
  role: Exclude<Role, 'citizen'>;
  areaCode?: string | null;
  departmentCode?: string | null;
  password: string;
};

/** Checks role/area/department consistency and the creator's scope; returns an error reason. */
async function scopeProblem(db: Kysely<Database>, creator: Ctx['actor'], u: NewUser): Promise<string | null> {
  if (creator.role === 'area_admin') {
    if (u.role !== 'staff') return 'an area administrator may create only staff accounts';
    if (u.areaCode !== creator.areaCode)
      return 'an area administrator may create accounts only in their own area';
  }
  if ((u.role === 'staff' || u.role === 'area_admin') && !u.areaCode)
    return 'staff and area administrators need an area';
  if ((u.role === 'city_admin' || u.role === 'auditor') && u.areaCode) return 'city-level roles have no area';
  if (u.role === 'staff' && !u.departmentCode) return 'staff need a department';
  if (
    u.areaCode &&
    !(await db.selectFrom('management_area').select('code').where('code', '=', u.areaCode).executeTakeFirst())
  ) {
    return `unknown area ${u.areaCode}`;
  }
  if (u.departmentCode) {
    const d = await db
      .selectFrom('department')
      .select(['code', 'area_code'])
      .where('code', '=', u.departmentCode)
      .executeTakeFirst();
    if (!d) return `unknown department ${u.departmentCode}`;
    if ((d.area_code ?? null) !== (u.areaCode ?? null))
      return `department ${u.departmentCode} is not in area ${u.areaCode ?? 'city'}`;
  }
  return null;
}

export async function createUser(
  ctx: Ctx,
  u: NewUser,
): Promise<{ id: number; totpSecret: string; totpUri: string }> {
  const problem = await scopeProblem(ctx.trx, ctx.actor, u);
  if (problem) {
    ctx.refuse(
      { action: 'user.create', outcome: 'denied', details: { username: u.username, reason: problem } },
      new AppError('user.scope', { reason: problem }),
    );
  }
  const exists = await ctx.trx
    .selectFrom('app_user')
    .select('id')
    .where('username', '=', u.username)
    .executeTakeFirst();
  if (exists) throw new AppError('user.exists');
  const totpSecret = newTotpSecret();
  const row = await ctx.trx
    .insertInto('app_user')
    .values({
      username: u.username,
      display_name: u.displayName,
      role: u.role,
      area_code: u.areaCode ?? null,
      department_code: u.departmentCode ?? null,
      password_hash: await hashPassword(u.password),
      totp_secret_enc: ctx.cipher.encrypt(totpSecret),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ctx.audit({
    action: 'user.create',
    subjectType: 'user',
    subjectId: row.id,
    outcome: 'success',
    details: { role: u.role, areaCode: u.areaCode ?? null },
  });
  const totp = totpFor(totpSecret);
  totp.label = u.username;
  return { id: row.id, totpSecret, totpUri: totp.toString() };
}

export async function listUsers(ctx: Ctx) {
  let q = ctx.trx
    .selectFrom('app_user')
    .select([
      'id',
      'username',
      'display_name',
      'role',
      'area_code',
      'department_code',
      'disabled',
      'locked_until',
    ])
    .where('role', '<>', 'citizen')
    .orderBy('id');
  if (ctx.actor.role !== 'city_admin') q = q.where('area_code', '=', ctx.actor.areaCode ?? '');
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    areaCode: r.area_code,
    departmentCode: r.department_code,
    disabled: r.disabled,
    lockedUntil: r.locked_until ? new Date(r.locked_until).toISOString() : null,
  }));
}

export async function revokeSessions(ctx: Ctx, userId: number): Promise<number> {
  const target = await ctx.trx
    .selectFrom('app_user')
    .select(['id', 'area_code'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!target || (ctx.actor.role !== 'city_admin' && target.area_code !== ctx.actor.areaCode))
    throw new AppError('auth.forbidden');
  return revokeUserSessions(ctx, userId);
}
