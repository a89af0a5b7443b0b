/**
 * Sign-in, sessions and lockout. Staff-side roles use argon2id passwords plus TOTP; citizens
 * use their ID number and a one-time code sent by SMS. Five failures lock an account for 15
 * minutes; sessions expire when idle and can be revoked.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import * as OTPAuth from 'otpauth';
import type { Database, Role } from '../../db/schema.ts';
import { sm3Hex } from '../../security/crypto.ts';
import { type Actor, ANONYMOUS, type Ctx, type Deps, inTransaction } from '../context.ts';
import { AppError, requireIdNumber } from '../errors.ts';
import { permissionsOf, SECOND_FACTOR_ROLES } from './permissions.ts';
import type { SmsGateway } from './sms.ts';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_MINUTES = 15;
const OTP_TTL_MINUTES = 5;
const OTP_MAX_ATTEMPTS = 5;

export type AuthSettings = { sessionIdleMinutes: number; sessionMaxHours: number };

export type UserView = {
  id: number;
  displayName: string;
  role: Role;
  areaCode: string | null;
  areaName: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  departmentNameEn: string | null;
  permissions: string[];
};

export async function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

const DUMMY_HASH = hashPassword('not-a-real-password');

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpFor(secretBase32: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: 'Junheng',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

function tokenHash(token: string): string {
  return sm3Hex(`session:${token}`);
}

async function createSession(
  ctx: Ctx,
  userId: number,
  settings: AuthSettings,
  clientIp: string | null,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await ctx.trx
    .insertInto('user_session')
    .values({
      token_hash: tokenHash(token),
      user_id: userId,
      created_at: ctx.now,
      last_seen_at: ctx.now,
      expires_at: new Date(ctx.now.getTime() + settings.sessionMaxHours * 3600_000),
      client_ip: clientIp,
    })
    .execute();
  return token;
}

export async function userView(db: Kysely<Database>, userId: number): Promise<UserView> {
  const u = await db
    .selectFrom('app_user as u')
    .leftJoin('management_area as a', 'a.code', 'u.area_code')
    .leftJoin('department as d', 'd.code', 'u.department_code')
    .select([
      'u.id',
      'u.display_name',
      'u.role',
      'u.area_code',
      'a.short_name as area_name',
      'u.department_code',
      'd.name as department_name',
      'd.name_en as department_name_en',
    ])
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow();
  return {
    id: u.id,
    displayName: u.display_name,
    role: u.role,
    areaCode: u.area_code,
    areaName: u.area_name,
    departmentCode: u.department_code,
    departmentName: u.department_name,
    departmentNameEn: u.department_name_en,
    permissions: [...permissionsOf(u.role)],
  };
}

export type SignInResult = { token: string; user: UserView };

/** Staff-side sign-in: password, then TOTP for the roles that need it. */
export async function signInWithPassword(
  deps: Deps,
  settings: AuthSettings,
  input: { username: string; password: string; totp?: string },
  requestId: string | null,
  clientIp: string | null,
): Promise<SignInResult> {
  // Failures must persist (counter, lock, audit), so they commit, then the error is thrown.
  const outcome = await inTransaction(deps, ANONYMOUS, requestId, async (ctx) => {
    const user = await ctx.trx
      .selectFrom('app_user')
      .selectAll()
      .where('username', '=', input.username)
      .where('role', '<>', 'citizen')
      .forUpdate()
      .executeTakeFirst();
    if (!user?.password_hash) {
      await verify(await DUMMY_HASH, input.password).catch(() => false);
      ctx.audit({ action: 'auth.sign_in', outcome: 'failure', details: { reason: 'unknown_user' } });
      return { error: new AppError('auth.invalid_credentials') };
    }
    const subject = { subjectType: 'user', subjectId: user.id };
    if (user.disabled) {
      ctx.audit({ action: 'auth.sign_in', ...subject, outcome: 'denied', details: { reason: 'disabled' } });
      return { error: new AppError('auth.disabled') };
    }
    if (user.locked_until && new Date(user.locked_until) > ctx.now) {
      ctx.audit({ action: 'auth.sign_in', ...subject, outcome: 'denied', details: { reason: 'locked' } });
      return { error: new AppError('auth.locked', { until: new Date(user.locked_until).toISOString() }) };
    }
    const fail = async (reason: string, code: 'auth.invalid_credentials' | 'auth.totp_invalid') => {
      const attempts = user.failed_attempts + 1;
      const lock = attempts >= MAX_FAILED_ATTEMPTS;
      const until = new Date(ctx.now.getTime() + LOCK_MINUTES * 60_000);
      await ctx.trx
        .updateTable('app_user')
        .set({ failed_attempts: lock ? 0 : attempts, locked_until: lock ? until : user.locked_until })
        .where('id', '=', user.id)
        .execute();
      ctx.audit({
        action: 'auth.sign_in',
        ...subject,
        outcome: 'failure',
        details: { reason, attempts, locked: lock },
      });
      return {
        error: lock ? new AppError('auth.locked', { until: until.toISOString() }) : new AppError(code),
      };
    };
    if (!(await verify(user.password_hash, input.password).catch(() => false)))
      return fail('password', 'auth.invalid_credentials');
    if (SECOND_FACTOR_ROLES.includes(user.role)) {
      if (!input.totp) return { error: new AppError('auth.totp_required') };
      const secret = user.totp_secret_enc ? ctx.cipher.decrypt(user.totp_secret_enc) : null;
      if (
        !secret ||
        totpFor(secret).validate({ token: input.totp, window: 1, timestamp: ctx.now.getTime() }) === null
      )
        return fail('totp', 'auth.totp_invalid');
    }
    await ctx.trx
      .updateTable('app_user')
      .set({ failed_attempts: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    const token = await createSession(ctx, user.id, settings, clientIp);
    ctx.audit({ action: 'auth.sign_in', ...subject, outcome: 'success' });
    return { token, user: await userView(ctx.trx, user.id) };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome;
}

function codeHash(bidx: string, code: string): string {
  return sm3Hex(`otp:${bidx}:${code}`);
}

/** Sends a one-time sign-in code to the phone on record for the ID number. */
export async function sendCitizenCode(
  deps: Deps,
  sms: SmsGateway,
  idNumber: string,
  requestId: string | null,
): Promise<{ phoneMasked: string }> {
  const normalized = requireIdNumber(idNumber, '/idNumber');
  const bidx = deps.cipher.blindIndex(normalized);
  const result = await inTransaction(deps, ANONYMOUS, requestId, async (ctx) => {
    const person = await ctx.trx
      .selectFrom('person')
      .select(['id', 'phone_enc', 'phone_masked'])
      .where('id_number_bidx', '=', bidx)
      .executeTakeFirst();
    if (!person?.phone_enc || !person.phone_masked) {
      ctx.audit({ action: 'auth.citizen_code', outcome: 'failure', details: { reason: 'unknown_person' } });
      return null;
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await ctx.trx
      .insertInto('otp_code')
      .values({
        id_bidx: bidx,
        code_hash: codeHash(bidx, code),
        created_at: ctx.now,
        expires_at: new Date(ctx.now.getTime() + OTP_TTL_MINUTES * 60_000),
      })
      .execute();
    ctx.audit({
      action: 'auth.citizen_code',
      subjectType: 'person',
      subjectId: person.id,
      outcome: 'success',
    });
    return { phone: ctx.cipher.decrypt(person.phone_enc), phoneMasked: person.phone_masked, code };
  });
  if (!result) throw new AppError('auth.citizen_unknown');
  await sms.send(result.phone, `【均衡】您的登录验证码为 ${result.code}，${OTP_TTL_MINUTES}分钟内有效。`, {
    purpose: 'sign-in',
    code: result.code,
    key: normalized,
  });
  return { phoneMasked: result.phoneMasked };
}

/** Citizen sign-in with the SMS code; creates the citizen account on first use. */
export async function signInCitizen(
  deps: Deps,
  settings: AuthSettings,
  input: { idNumber: string; code: string },
  requestId: string | null,
  clientIp: string | null,
): Promise<SignInResult> {
  const normalized = requireIdNumber(input.idNumber, '/idNumber');
  const bidx = deps.cipher.blindIndex(normalized);
  const outcome = await inTransaction(deps, ANONYMOUS, requestId, async (ctx) => {
    const otp = await ctx.trx
      .selectFrom('otp_code')
      .selectAll()
      .where('id_bidx', '=', bidx)
      .where('consumed_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    const valid = otp && new Date(otp.expires_at) > ctx.now && otp.attempts < OTP_MAX_ATTEMPTS;
    const matches =
      valid && timingSafeEqual(Buffer.from(otp.code_hash), Buffer.from(codeHash(bidx, String(input.code))));
    if (!otp || !matches) {
      if (otp)
        await ctx.trx
          .updateTable('otp_code')
          .set({ attempts: otp.attempts + 1 })
          .where('id', '=', otp.id)
          .execute();
      ctx.audit({
        action: 'auth.citizen_sign_in',
        outcome: 'failure',
        details: { reason: otp ? 'wrong_or_expired' : 'no_code' },
      });
      return { error: new AppError('auth.code_invalid') };
    }
    await ctx.trx.updateTable('otp_code').set({ consumed_at: ctx.now }).where('id', '=', otp.id).execute();
    const person = await ctx.trx
      .selectFrom('person')
      .select(['id', 'name'])
      .where('id_number_bidx', '=', bidx)
      .executeTakeFirstOrThrow();
    let user = await ctx.trx
      .selectFrom('app_user')
      .select(['id', 'disabled'])
      .where('person_id', '=', person.id)
      .where('role', '=', 'citizen')
      .executeTakeFirst();
    if (!user) {
      user = await ctx.trx
        .insertInto('app_user')
        .values({
          username: `citizen:${bidx.slice(0, 24)}`,
          display_name: person.name,
          role: 'citizen',
          person_id: person.id,
        })
        .returning(['id', 'disabled'])
        .executeTakeFirstOrThrow();
    }
    if (user.disabled) return { error: new AppError('auth.disabled') };
    const token = await createSession(ctx, user.id, settings, clientIp);
    ctx.audit({
      action: 'auth.citizen_sign_in',
      subjectType: 'user',
      subjectId: user.id,
      outcome: 'success',
    });
    return { token, user: await userView(ctx.trx, user.id) };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome;
}

/** Resolves a session token to the actor, enforcing idle and absolute expiry. */
export async function resolveSession(
  deps: Deps,
  settings: AuthSettings,
  token: string,
): Promise<Actor | null> {
  const now = deps.clock();
  const row = await deps.db.kysely
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select([
      's.token_hash',
      's.last_seen_at',
      's.expires_at',
      's.revoked_at',
      'u.id',
      'u.role',
      'u.area_code',
      'u.department_code',
      'u.person_id',
      'u.display_name',
      'u.disabled',
    ])
    .where('s.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.disabled) return null;
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (
    new Date(row.expires_at).getTime() <= now.getTime() ||
    lastSeen + settings.sessionIdleMinutes * 60_000 <= now.getTime()
  )
    return null;
  if (now.getTime() - lastSeen > 60_000) {
    await deps.db.kysely
      .updateTable('user_session')
      .set({ last_seen_at: now })
      .where('token_hash', '=', row.token_hash)
      .execute();
  }
  return {
    userId: row.id,
    role: row.role,
    areaCode: row.area_code,
    departmentCode: row.department_code,
    personId: row.person_id,
    displayName: row.display_name,
    permissions: permissionsOf(row.role),
  };
}

export async function revokeSession(ctx: Ctx, token: string): Promise<void> {
  await ctx.trx
    .updateTable('user_session')
    .set({ revoked_at: ctx.now })
    .where('token_hash', '=', tokenHash(token))
    .where('revoked_at', 'is', null)
    .execute();
  ctx.audit({
    action: 'auth.sign_out',
    subjectType: 'user',
    subjectId: ctx.actor.userId ?? undefined,
    outcome: 'success',
  });
}

/** Revokes every open session of a user (an administrator's action). */
export async function revokeUserSessions(ctx: Ctx, userId: number): Promise<number> {
  const r = await ctx.trx
    .updateTable('user_session')
    .set({ revoked_at: ctx.now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  ctx.audit({
    action: 'user.revoke_sessions',
    subjectType: 'user',
    subjectId: userId,
    outcome: 'success',
    details: { sessions: Number(r.numUpdatedRows) },
  });
  return Number(r.numUpdatedRows);
}
