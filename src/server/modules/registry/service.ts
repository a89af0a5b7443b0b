/**
 * The fused registry for staff: search (scoped, audited), the person page with each field's
 * source, the linkage review queue and its decisions, and the data-quality dashboard.
 */
import { findFeed } from '../../../registry/feeds.ts';
import { mapRecord } from '../../../registry/mapping.ts';
import { loadPersons, mergeAndWrite } from '../../../registry/pipeline.ts';
import { decodeSources, type Facts } from '../../../registry/precedence.ts';
import { maskIdsIn } from '../../../registry/privacy.ts';
import type { Ctx } from '../../context.ts';
import { AppError, requireIdNumber } from '../../errors.ts';
import * as store from './store.ts';

type PersonRow = NonNullable<Awaited<ReturnType<typeof store.findPerson>>>;

/**
 * A record id as staff see it: ID numbers inside it masked; one kept as a blind index
 * (`bidx:…`, a record id that embedded an ID number) is not shown at all.
 */
function shownRecordId(recordId: string): string {
  return recordId.startsWith('bidx:') ? '(hidden)' : maskIdsIn(recordId);
}

function summary(r: PersonRow) {
  return {
    id: r.id,
    idNumberMasked: r.id_number_masked,
    name: r.name,
    sex: r.sex,
    birthDate: r.birth_date,
    areaCode: r.area_code,
    streetCode: r.street_code,
    hukouAreaCode: r.hukou_area_code,
    deathDate: r.death_date,
    residenceStatus: r.residence_status,
  };
}

export async function search(
  ctx: Ctx,
  q: { name?: string; idNumber?: string; idNumberMasked?: string; areaCode?: string; limit: number },
) {
  const idBidx = q.idNumber ? ctx.cipher.blindIndex(requireIdNumber(q.idNumber, '/idNumber')) : undefined;
  const rows = await store.search(ctx.trx, ctx.actor, {
    name: q.name,
    idBidx,
    idMasked: q.idNumberMasked?.toUpperCase(),
    areaCode: q.areaCode,
    limit: q.limit,
  });
  ctx.audit({
    action: 'person.search',
    outcome: 'success',
    details: {
      name: q.name ?? null,
      byIdNumber: Boolean(q.idNumber),
      byMaskedId: q.idNumberMasked ?? null,
      areaCode: q.areaCode ?? null,
      results: rows.length,
    },
  });
  return rows.map(summary);
}

const FIELD_VALUE: Record<string, (r: PersonRow) => string | number | null> = {
  name: (r) => r.name,
  sex: (r) => r.sex,
  birth_date: (r) => r.birth_date,
  street_code: (r) => r.street_code,
  address: (r) => r.address,
  hukou_area_code: (r) => r.hukou_area_code,
  phone: (r) => r.phone_masked,
  ethnicity: (r) => r.ethnicity,
  marital_status: (r) => r.marital_status,
  household_no: (r) => r.household_no,
  household_relation: (r) => r.household_relation,
  residence_status: (r) => r.residence_status,
  death_date: (r) => r.death_date,
  mother_id: (r) => r.mother_id,
  father_id: (r) => r.father_id,
};

/**
 * The person page: the fused record, per field its value and source. A person outside the
 * actor's scope (or unknown) is a refusal, audited.
 */
export async function personPage(ctx: Ctx, id: number) {
  const r = await store.findPerson(ctx.trx, ctx.actor, id);
  const event = { action: 'registry.person_read', subjectType: 'person', subjectId: id } as const;
  if (!r) ctx.refuse({ ...event, outcome: 'denied' }, new AppError('person.not_found'));
  ctx.audit({ ...event, outcome: 'success' });
  const sources = decodeSources(r.field_sources);
  const fields = Object.entries(FIELD_VALUE).map(([field, get]) => {
    const s = sources[field];
    const v = get(r);
    return {
      field,
      value: v === null ? null : String(v),
      source: s
        ? {
            source: s.source,
            feed: s.feed,
            recordId: shownRecordId(s.record),
            updatedAt: s.at,
            importId: s.import,
          }
        : null,
    };
  });
  const [relatives, events, history, conflicts, records] = await Promise.all([
    store.relatives(ctx.trx, ctx.actor, r),
    store.events(ctx.trx, id),
    store.history(ctx.trx, id),
    store.conflicts(ctx.trx, id),
    store.sourceRecords(ctx.trx, id),
  ]);
  return {
    person: { ...summary(r), phoneMasked: r.phone_masked, address: r.address, householdNo: r.household_no },
    fields,
    relatives: relatives.map((x) => ({
      id: x.id,
      name: x.name,
      idNumberMasked: x.id_number_masked,
      birthDate: x.birth_date,
      relation: x.relation,
      householdRelation: x.household_relation,
    })),
    events: events.map((e) => ({
      kind: e.kind,
      date: e.event_date,
      feed: e.feed_id,
      recordId: shownRecordId(e.record_id),
      role: e.person_id === id ? 'subject' : 'related',
      details: Object.fromEntries(
        Object.entries(e.details as Record<string, unknown>).map(([k, v]) => [
          k,
          v === null ? null : maskIdsIn(String(v)),
        ]),
      ),
    })),
    history: history.map((h) => ({
      field: h.field,
      oldValue: h.old_value,
      newValue: h.new_value,
      oldSource: h.old_source,
      source: h.source,
      feed: h.feed_id,
      recordId: shownRecordId(h.record_id),
      recordUpdatedAt: localTimestamp(h.source_updated_at),
      changedAt: new Date(h.changed_at).toISOString(),
    })),
    conflicts: conflicts.map((c) => ({
      id: c.id,
      field: c.field,
      currentValue: c.current_value,
      currentSource: c.current_source,
      offeredValue: c.offered_value,
      source: c.source,
      feed: c.feed_id,
      recordId: shownRecordId(c.record_id),
      status: c.status,
    })),
    records: records.map((s) => ({
      feed: s.feed_id,
      source: s.source,
      recordId: shownRecordId(s.record_id),
      updatedAt: localTimestamp(s.updated_at),
      linkMethod: s.link_method,
    })),
  };
}

export async function reviews(ctx: Ctx, q: { status: string; limit: number; offset: number }) {
  const rows = await store.reviews(ctx.trx, ctx.actor, q);
  ctx.audit({
    action: 'review.list',
    outcome: 'success',
    details: { status: q.status, results: rows.length },
  });
  return rows.map((r) => ({
    id: r.id,
    feed: r.feed_id,
    recordId: shownRecordId(r.record_id),
    source: r.source,
    areaCode: r.area_code,
    score: r.score,
    reasons: r.reasons as string[],
    record: r.record as Record<string, string | null>,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    candidate: {
      id: r.person_id,
      name: r.person_name,
      idNumberMasked: r.person_id_masked,
      birthDate: r.person_birth_date,
      streetCode: r.person_street,
    },
  }));
}

/**
 * A staff decision on a review item, remembered for re-imports. "same" links the record to
 * the candidate (its facts merged per precedence); "different" keeps them apart for good.
 */
export async function decide(ctx: Ctx, id: number, decision: 'same' | 'different') {
  const item = await store.reviewItem(ctx.trx, ctx.actor, id);
  if (!item) throw new AppError('review.not_found');
  if (item.status !== 'open') throw new AppError('review.decided');
  const { trx } = ctx;
  const now = ctx.now;
  const remember = (candidate: number, d: 'same' | 'different') =>
    trx
      .insertInto('linkage_decision')
      .values({
        feed_id: item.feed_id,
        record_id: item.record_id,
        candidate_person_id: candidate,
        decision: d,
        decided_by: ctx.actor.userId,
        decided_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['feed_id', 'record_id', 'candidate_person_id'])
          .doUpdateSet({ decision: d, decided_by: ctx.actor.userId, decided_at: now }),
      )
      .execute();
  await remember(item.candidate_person_id, decision);
  await trx
    .updateTable('review_item')
    .set({ status: decision, decided_by: ctx.actor.userId, decided_at: now })
    .where('id', '=', id)
    .execute();
  let fieldsChanged = 0;
  if (decision === 'same') {
    // The other candidates of this record are, by this decision, different people.
    const others = await trx
      .selectFrom('review_item')
      .select(['id', 'candidate_person_id'])
      .where('feed_id', '=', item.feed_id)
      .where('record_id', '=', item.record_id)
      .where('status', '=', 'open')
      .execute();
    for (const o of others) {
      await remember(o.candidate_person_id, 'different');
      await trx
        .updateTable('review_item')
        .set({ status: 'different', decided_by: ctx.actor.userId, decided_at: now })
        .where('id', '=', o.id)
        .execute();
    }
    await trx
      .updateTable('source_record')
      .set({ person_id: item.candidate_person_id, link_method: 'review' })
      .where('feed_id', '=', item.feed_id)
      .where('record_id', '=', item.record_id)
      .execute();
    await trx
      .updateTable('life_event')
      .set({ person_id: item.candidate_person_id })
      .where('feed_id', '=', item.feed_id)
      .where('record_id', '=', item.record_id)
      .where('person_id', 'is', null)
      .execute();
    fieldsChanged = await applyRecord(ctx, item);
  }
  ctx.audit({
    action: 'review.decide',
    subjectType: 'review_item',
    subjectId: id,
    outcome: 'success',
    details: { decision, feed: item.feed_id, candidate: item.candidate_person_id, fieldsChanged },
  });
  return { id, status: decision, fieldsChanged };
}

/**
 * Merges a reviewed record's facts into the person through the import's own merge and writes
 * (pipeline.ts, FieldChanges): per precedence, each change in the field history, each overruled
 * value an open conflict, the area following the street; with the phone and the parents the
 * import took from the numbers the shown record masks (review_item.masked_facts).
 */
async function applyRecord(
  ctx: Ctx,
  item: {
    feed_id: string;
    record_id: string;
    source: string;
    candidate_person_id: number;
    import_id: number;
    record: unknown;
    masked_facts: { mother_id?: string; father_id?: string; phone_enc?: string };
  },
): Promise<number> {
  const spec = findFeed(item.feed_id);
  if (!spec) return 0;
  const { trx } = ctx;
  const values = item.record as Record<string, string | null>;
  const facts: Facts = { ...mapRecord(spec.id, values).subject.facts };
  // The shown values mask the ID and phone numbers: the import kept what it took from them.
  const hidden = item.masked_facts;
  if (hidden.phone_enc) facts.phone = ctx.cipher.decrypt(hidden.phone_enc);
  else delete facts.phone;
  if (hidden.mother_id) facts.mother_id = hidden.mother_id;
  if (hidden.father_id) facts.father_id = hidden.father_id;
  const [person] = await loadPersons(trx, [item.candidate_person_id], { lock: true });
  if (!person) return 0;
  // The import's own merge and writes (FieldChanges), for a batch of one.
  return mergeAndWrite(trx, ctx.cipher, ctx.now, person, facts, {
    source: spec.source,
    feed: spec.id,
    record: item.record_id,
    at: String(values[spec.keys.updatedAt] ?? ''),
    import: item.import_id,
  });
}

function rate(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((n / d) * 10_000) / 10_000;
}

/** The quality dashboard from pre-aggregated figures: latest per feed × area, and the trend. */
export async function quality(ctx: Ctx, q: { source?: string; areaCode?: string; limit: number }) {
  const rows = await store.qualityStats(ctx.trx, ctx.actor, q);
  const view = (r: (typeof rows)[number]) => ({
    importId: r.import_id,
    feed: r.feed_id,
    source: r.source,
    areaCode: r.area_code,
    at: new Date(r.finished_at).toISOString(),
    rows: r.rows_total,
    completeness: rate(r.rows_complete, r.rows_valid),
    validity: rate(r.rows_valid, r.rows_total),
    timeliness: rate(r.rows_timely, r.rows_valid),
    linkageRate: rate(r.rows_linked, r.rows_valid),
    openConflicts: r.open_conflicts,
  });
  const latest = new Map<string, ReturnType<typeof view>>();
  for (const r of rows) {
    const k = `${r.feed_id}|${r.area_code}`;
    if (!latest.has(k)) latest.set(k, view(r));
  }
  return {
    latest: [...latest.values()].sort(
      (a, b) => a.source.localeCompare(b.source) || a.areaCode.localeCompare(b.areaCode),
    ),
    trend: rows.map(view).reverse(),
  };
}

/** A source's own timestamp (without time zone) as `YYYY-MM-DD HH:MM:SS`, as the feed gave it. */
function localTimestamp(v: Date | string): string {
  if (typeof v === 'string') return v.replace('T', ' ').slice(0, 19);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${v.getFullYear()}-${p(v.getMonth() + 1)}-${p(v.getDate())} ${p(v.getHours())}:${p(v.getMinutes())}:${p(v.getSeconds())}`;
}
