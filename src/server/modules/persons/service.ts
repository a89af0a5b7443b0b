/** Reading the registry: scoped, masked, and every read of personal data audited. */

import { managementArea, managementAreaOf } from '../../../domain/areas.ts';
import type { Ctx } from '../../context.ts';
import { AppError } from '../../errors.ts';
import * as store from './store.ts';

type Row = NonNullable<Awaited<ReturnType<typeof store.findPerson>>>;

export function toView(r: Row) {
  return {
    id: r.id,
    idNumberMasked: r.id_number_masked,
    name: r.name,
    sex: r.sex,
    birthDate: r.birth_date,
    areaCode: r.area_code,
    streetCode: r.street_code,
    hukouAreaCode: r.hukou_area_code,
    phoneMasked: r.phone_masked,
    deathDate: r.death_date,
  };
}

/** One person, masked. A person outside the actor's scope (or unknown) is a refusal, audited. */
export async function getPerson(ctx: Ctx, id: number) {
  const row = await store.findPerson(ctx.trx, ctx.actor, id);
  const event = { action: 'person.read', subjectType: 'person', subjectId: id } as const;
  if (!row) ctx.refuse({ ...event, outcome: 'denied' }, new AppError('person.not_found'));
  ctx.audit({ ...event, outcome: 'success' });
  return toView(row);
}

/** A citizen's own record and children. */
export async function myPerson(ctx: Ctx) {
  const personId = ctx.actor.personId;
  const me = personId ? await store.findPerson(ctx.trx, ctx.actor, personId) : undefined;
  if (!me || !personId) throw new AppError('person.not_found');
  const children = await store.childrenOf(ctx.trx, ctx.actor, personId);
  ctx.audit({
    action: 'person.read_own',
    subjectType: 'person',
    subjectId: personId,
    outcome: 'success',
    details: { children: children.length },
  });
  const area = me.hukou_area_code ? managementArea(managementAreaOf(me.hukou_area_code) ?? '') : undefined;
  return {
    idNumberMasked: me.id_number_masked,
    name: me.name,
    sex: me.sex,
    birthDate: me.birth_date,
    hukouAreaCode: me.hukou_area_code,
    hukouAreaName: area?.name ?? null,
    children: children.map((c) => ({
      name: c.name,
      birthDate: c.birth_date,
      idNumberMasked: c.id_number_masked,
    })),
  };
}

/**
 * Shows a full ID number: needs `person.reveal`, a stated reason, and is audited — refused
 * attempts too (no reason, a person out of scope).
 */
export async function revealIdNumber(ctx: Ctx, id: number, reason: string): Promise<string> {
  const event = { action: 'person.reveal_id', subjectType: 'person', subjectId: id } as const;
  if (reason.trim().length < 4) {
    ctx.refuse(
      { ...event, outcome: 'denied', details: { reason: 'reason_required' } },
      new AppError('person.reveal_reason_required'),
    );
  }
  const row = await store.encryptedIdOf(ctx.trx, ctx.actor, id);
  if (!row)
    ctx.refuse({ ...event, outcome: 'denied', details: { reason } }, new AppError('person.not_found'));
  ctx.audit({ ...event, outcome: 'success', details: { reason } });
  return ctx.cipher.decrypt(row.id_number_enc);
}
