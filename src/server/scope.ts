/**
 * Per-record authorization: which persons an actor may see. Every store query over people
 * goes through `personScope`, so a staff member of one area can never read another's.
 */
import { type ExpressionBuilder, type ExpressionWrapper, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Actor } from './context.ts';

type PersonEb = ExpressionBuilder<Database, 'person'>;

export function personScope(actor: Actor): (eb: PersonEb) => ExpressionWrapper<Database, 'person', SqlBool> {
  return (eb) => {
    switch (actor.role) {
      case 'city_admin':
        return eb.val(true) as unknown as ExpressionWrapper<Database, 'person', SqlBool>;
      case 'staff':
      case 'area_admin':
        return actor.areaCode ? eb('person.area_code', '=', actor.areaCode) : (sql<boolean>`false` as never);
      case 'citizen':
        return actor.personId
          ? eb.or([
              eb('person.id', '=', actor.personId),
              eb('person.mother_id', '=', actor.personId),
              eb('person.father_id', '=', actor.personId),
            ])
          : (sql<boolean>`false` as never);
      default:
        return sql<boolean>`false` as never;
    }
  };
}
