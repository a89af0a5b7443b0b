/** SQL over the person registry; every query takes the actor's scope. */
import type { Transaction } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Actor } from '../../context.ts';
import { personScope } from '../../scope.ts';

/** The masked person columns every registry read may return (never the encrypted ones). */
export const personColumns = [
  'person.id',
  'person.area_code',
  'person.street_code',
  'person.id_number_masked',
  'person.name',
  'person.sex',
  'person.birth_date',
  'person.phone_masked',
  'person.hukou_area_code',
  'person.mother_id',
  'person.father_id',
  'person.death_date',
] as const;

export function findPerson(trx: Transaction<Database>, actor: Actor, id: number) {
  return trx
    .selectFrom('person')
    .select(personColumns)
    .where('person.id', '=', id)
    .where(personScope(actor))
    .executeTakeFirst();
}

export function childrenOf(trx: Transaction<Database>, actor: Actor, parentId: number) {
  return trx
    .selectFrom('person')
    .select(personColumns)
    .where((eb) => eb.or([eb('person.mother_id', '=', parentId), eb('person.father_id', '=', parentId)]))
    .where(personScope(actor))
    .orderBy('person.birth_date')
    .execute();
}

export function encryptedIdOf(trx: Transaction<Database>, actor: Actor, id: number) {
  return trx
    .selectFrom('person')
    .select(['person.id', 'person.id_number_enc'])
    .where('person.id', '=', id)
    .where(personScope(actor))
    .executeTakeFirst();
}
