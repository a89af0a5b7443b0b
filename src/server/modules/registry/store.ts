/** SQL over the fused registry; every query over people takes the actor's scope. */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Actor } from '../../context.ts';
import { personScope } from '../../scope.ts';
import { personColumns as basePersonColumns } from '../persons/store.ts';

type Trx = Transaction<Database>;

const personColumns = [
  ...basePersonColumns,
  'person.ethnicity',
  'person.marital_status',
  'person.address',
  'person.household_no',
  'person.household_relation',
  'person.residence_status',
  'person.field_sources',
  'person.updated_at',
] as const;

export function search(
  trx: Trx,
  actor: Actor,
  q: { name?: string; idBidx?: string; idMasked?: string; areaCode?: string; limit: number },
) {
  let query = trx.selectFrom('person').select(personColumns).where(personScope(actor));
  if (q.name) query = query.where('person.name', 'like', `${q.name.replace(/[%_\\]/g, '\\$&')}%`);
  if (q.idBidx) query = query.where('person.id_number_bidx', '=', q.idBidx);
  if (q.idMasked) query = query.where('person.id_number_masked', '=', q.idMasked);
  // A management area (6 digits) or a street (9 digits).
  if (q.areaCode)
    query = query.where(q.areaCode.length === 9 ? 'person.street_code' : 'person.area_code', '=', q.areaCode);
  return query.orderBy('person.id').limit(q.limit).execute();
}

export function findPerson(trx: Trx, actor: Actor, id: number) {
  return trx
    .selectFrom('person')
    .select(personColumns)
    .where('person.id', '=', id)
    .where(personScope(actor))
    .executeTakeFirst();
}

/**
 * Names and masked IDs of related people (parents, children, spouses, household) within the
 * actor's scope: a relative registered in another area is not shown to its staff.
 */
export async function relatives(
  trx: Trx,
  actor: Actor,
  p: { id: number; mother_id: number | null; father_id: number | null; household_no: string | null },
) {
  const all = await sql<{
    id: number;
    name: string;
    id_number_masked: string;
    birth_date: string;
    relation: string;
    household_relation: string | null;
  }>`
    select id, name, id_number_masked, birth_date::text as birth_date, 'mother' as relation, household_relation from person where id = ${p.mother_id ?? -1}
    union all select id, name, id_number_masked, birth_date::text, 'father', household_relation from person where id = ${p.father_id ?? -1}
    union all select id, name, id_number_masked, birth_date::text, 'child', household_relation from person where mother_id = ${p.id} or father_id = ${p.id}
    union all select pe.id, pe.name, pe.id_number_masked, pe.birth_date::text, 'spouse', pe.household_relation
      from person_relationship r join person pe on pe.id = r.related_person_id where r.person_id = ${p.id}
    union all select id, name, id_number_masked, birth_date::text, 'household', household_relation from person
      where ${p.household_no}::text is not null and household_no = ${p.household_no}::text and id <> ${p.id}
    limit 200`.execute(trx);
  if (all.rows.length === 0) return [];
  const ids = [...new Set(all.rows.map((r) => Number(r.id)))];
  const visible = await trx
    .selectFrom('person')
    .select('person.id')
    .where('person.id', 'in', ids)
    .where(personScope(actor))
    .execute();
  const inScope = new Set(visible.map((v) => Number(v.id)));
  return all.rows.filter((r) => inScope.has(Number(r.id)));
}

export function events(trx: Trx, personId: number) {
  return trx
    .selectFrom('life_event')
    .select(['kind', 'event_date', 'feed_id', 'record_id', 'details', 'person_id', 'related_person_id'])
    .where((eb) => eb.or([eb('person_id', '=', personId), eb('related_person_id', '=', personId)]))
    .orderBy('event_date')
    .limit(200)
    .execute();
}

export function history(trx: Trx, personId: number) {
  return trx
    .selectFrom('person_field_history')
    .select([
      'field',
      'old_value',
      'new_value',
      'old_source',
      'source',
      'feed_id',
      'record_id',
      'source_updated_at',
      'changed_at',
    ])
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
}

export function conflicts(trx: Trx, personId: number) {
  return trx
    .selectFrom('field_conflict')
    .select([
      'id',
      'field',
      'current_value',
      'current_source',
      'offered_value',
      'source',
      'feed_id',
      'record_id',
      'status',
    ])
    .where('person_id', '=', personId)
    .orderBy('id')
    .limit(200)
    .execute();
}

export function sourceRecords(trx: Trx, personId: number) {
  return trx
    .selectFrom('source_record')
    .select(['feed_id', 'record_id', 'source', 'updated_at', 'link_method'])
    .where('person_id', '=', personId)
    .orderBy('source')
    .limit(500)
    .execute();
}

/**
 * The review queue of an area: items whose candidate is a person of the area now (the person's
 * scope, not the area stored with the item — a candidate who moved away is no longer theirs).
 */
function reviewScope(actor: Actor) {
  // Staff work only: a citizen's person scope (their own family) is no queue of theirs.
  return actor.role === 'citizen' ? sql<boolean>`false` : personScope(actor);
}

export function reviews(trx: Trx, actor: Actor, q: { status: string; limit: number; offset: number }) {
  return trx
    .selectFrom('review_item')
    .innerJoin('person', 'person.id', 'review_item.candidate_person_id')
    .select([
      'review_item.id',
      'review_item.feed_id',
      'review_item.record_id',
      'review_item.source',
      'person.area_code as area_code',
      'review_item.score',
      'review_item.reasons',
      'review_item.record',
      'review_item.status',
      'review_item.created_at',
      'person.id as person_id',
      'person.name as person_name',
      'person.id_number_masked as person_id_masked',
      sql<string>`person.birth_date::text`.as('person_birth_date'),
      'person.street_code as person_street',
    ])
    .where(reviewScope(actor))
    .where('review_item.status', '=', q.status as 'open')
    .orderBy('review_item.id')
    .offset(q.offset)
    .limit(q.limit)
    .execute();
}

export function reviewItem(trx: Trx, actor: Actor, id: number) {
  return trx
    .selectFrom('review_item')
    .innerJoin('person', 'person.id', 'review_item.candidate_person_id')
    .selectAll('review_item')
    .where('review_item.id', '=', id)
    .where(reviewScope(actor))
    .forUpdate()
    .executeTakeFirst();
}

/** Pre-aggregated quality figures (never person rows): per import, feed and area. */
export function qualityStats(
  trx: Trx,
  actor: Actor,
  q: { source?: string; areaCode?: string; limit: number },
) {
  let query = trx
    .selectFrom('quality_stat')
    .innerJoin('import_batch', 'import_batch.id', 'quality_stat.import_id')
    .select([
      'quality_stat.import_id',
      'quality_stat.feed_id',
      'quality_stat.source',
      'quality_stat.area_code',
      'quality_stat.computed_at',
      'quality_stat.rows_total',
      'quality_stat.rows_valid',
      'quality_stat.rows_complete',
      'quality_stat.rows_timely',
      'quality_stat.rows_linked',
      'quality_stat.open_conflicts',
      'import_batch.finished_at',
    ]);
  // Text parameters cannot hold NUL: an actor without an area matches nothing by a false condition.
  if (actor.role !== 'city_admin')
    query = actor.areaCode
      ? query.where('quality_stat.area_code', '=', actor.areaCode)
      : query.where(sql<boolean>`false`);
  if (q.source) query = query.where('quality_stat.source', '=', q.source);
  if (q.areaCode) query = query.where('quality_stat.area_code', '=', q.areaCode);
  return query.orderBy('quality_stat.import_id', 'desc').limit(q.limit).execute();
}
