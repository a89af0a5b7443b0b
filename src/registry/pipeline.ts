/**
 * The import pipeline: one department file → validated rows → linked persons → the fused
 * registry, in ONE transaction (a file refused late — truncated at its end — leaves nothing).
 *
 * Rows stream in batches; each batch costs a fixed number of set-based statements (look-ups by
 * `= any($array)`, writes by `insert … select from unnest($arrays)`), never one round trip per
 * row. Idempotency: a file already imported (same content hash) changes nothing; a record
 * (feed, record id) is applied only when its update time is newer than the stored one.
 */
import { createHash, hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database, FieldSource } from '../db/schema.ts';
import { managementAreaOf } from '../domain/areas.ts';
import { maskIdNumber, maskPhone, parseIdNumber } from '../domain/id-number.ts';
import type { Cipher } from '../security/crypto.ts';
import { type Actor, type Ctx, type Deps, inTransaction } from '../server/context.ts';
import { AppError } from '../server/errors.ts';
import { type FeedSpec, findFeed, sourceOfDepartment } from './feeds.ts';
import { type Candidate, decideLink, type Probe, surnameReadings, surnameSound } from './linkage.ts';
import { areaOfStreet, type Mapped, mapRecord, type PersonRef } from './mapping.ts';
import {
  decodeSources,
  encodeSources,
  type Facts,
  mergeFacts,
  type Origin,
  type PersonField,
} from './precedence.ts';
import { maskIdsIn } from './privacy.ts';
import { batches, ImportRefused, type RawRow, type ReadProgress, readRows, refusalParams } from './reader.ts';
import { type RejectedRow, type ValidRow, validator } from './validate.ts';

export type ImportReport = {
  accepted: number;
  rejected: number;
  updated: number;
  unchanged: number;
  queuedForReview: number;
  rejectsByReason: Record<string, number>;
  warningsByReason: Record<string, number>;
  importId: number | null;
  feed: string;
  source: string;
  file: string;
  contentHash: string;
  rows: number;
  linked: { byIdNumber: number; byCertificate: number; byMatch: number; byReview: number; unlinked: number };
  personsCreated: number;
  personsUpdated: number;
  fieldChanges: number;
  conflicts: number;
  durationMs: number;
  alreadyImported?: boolean;
  previousImportId?: number;
};

export type ImportProgress = { rows: number; bytesRead: number; totalBytes: number };

export type ImportOptions = {
  feedId: string;
  file: string;
  /** Name shown in reports (the uploaded file's name); default the file's base name. */
  fileName?: string;
  jobId?: number | null;
  requestId?: string | null;
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void | Promise<void>;
};

/** May this actor import this source? City administrators and the system: any. */
export function maySubmit(actor: Actor, source: string): boolean {
  if (actor.role === 'city_admin' || actor.role === 'system') return true;
  if (actor.role === 'area_admin') return actor.areaCode !== null;
  if (actor.role === 'staff')
    return actor.areaCode !== null && sourceOfDepartment(actor.departmentCode) === source;
  return false;
}

/** The area a submission is confined to (rows elsewhere are rejected), or null for the city. */
export function scopeAreaOf(actor: Actor): string | null {
  return actor.role === 'staff' || actor.role === 'area_admin' ? actor.areaCode : null;
}

export async function fileHash(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

function todayIn(now: Date): string {
  // Asia/Shanghai: UTC+8, no daylight saving.
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b.slice(0, 10)) - Date.parse(a.slice(0, 10))) / 86_400_000);
}

/** Batches read and prepared ahead of the one whose statements run. */
const READ_AHEAD = 2;

/** Records reported more than this many days after their event are late (timeliness). */
export const TIMELY_DAYS = 60;

/** Refusal → the API's error. */
function refusalError(e: ImportRefused): AppError {
  // The reader's parameters (some per language: `missing.zh`, …), then the where and why.
  return new AppError(e.code, {
    missing: '—',
    unexpected: '—',
    expected: '',
    ...e.params,
    line: String(e.params.line ?? ''),
    ...refusalParams(e.code, e.params),
  });
}

/** Imports one file of a feed. Throws AppError (refusals, permission) with nothing committed. */
export async function importFile(deps: Deps, actor: Actor, opts: ImportOptions): Promise<ImportReport> {
  const spec = findFeed(opts.feedId);
  if (!spec) throw new AppError('import.feed_unknown', { feed: opts.feedId });
  if (!maySubmit(actor, spec.source)) throw new AppError('import.source_forbidden', { source: spec.source });
  const started = Date.now();
  const fileName = opts.fileName ?? basename(opts.file);
  const contentHash = await fileHash(opts.file);
  const totalBytes = (await stat(opts.file)).size;
  const requestId = opts.requestId ?? null;

  const previous = await deps.db.kysely
    .selectFrom('import_batch')
    .selectAll()
    .where('feed_id', '=', spec.id)
    .where('content_hash', '=', contentHash)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (previous) {
    const prevReport = previous.report as unknown as ImportReport;
    const report: ImportReport = {
      ...emptyReport(spec, fileName, contentHash),
      rejected: previous.rejected,
      unchanged: previous.accepted + previous.updated + previous.unchanged,
      rejectsByReason: prevReport.rejectsByReason ?? {},
      rows: previous.total_rows,
      importId: null,
      alreadyImported: true,
      previousImportId: previous.id,
      durationMs: Date.now() - started,
    };
    await inTransaction(deps, actor, requestId, async (ctx) => {
      ctx.audit({
        action: 'import.run',
        subjectType: 'import',
        subjectId: previous.id,
        outcome: 'success',
        details: {
          feed: spec.id,
          source: spec.source,
          file: fileName,
          alreadyImported: true,
          unchanged: report.unchanged,
        },
      });
    });
    return report;
  }

  try {
    return await inTransaction(deps, actor, requestId, async (ctx) => {
      // One transaction per file: its commit need not wait for the WAL flush (a crash right
      // after it loses at most that import, which its job runs again — idempotent). Anything
      // committed later with the default setting flushes this commit's WAL with it.
      if (deps.db.kind === 'server') await sql`set local synchronous_commit = off`.execute(ctx.trx);
      const run = new ImportRun(ctx, spec, fileName, contentHash, opts.jobId ?? null);
      await run.begin();
      const progress: ReadProgress = { bytesRead: 0, totalBytes };
      const size = opts.batchSize ?? (deps.db.kind === 'server' ? 5000 : 2000);
      // Two stages: batches are read and prepared (a few ahead) while earlier batches'
      // statements run — the database and this process work at the same time; the
      // statements stay in file order, one batch after the other.
      const ahead: Prepared[] = [];
      let readDone = false;
      let stop = false;
      let readError: unknown = null;
      let wakeExecutor: (() => void) | null = null;
      let wakeReader: (() => void) | null = null;
      const wake = (w: (() => void) | null) => w?.();
      const reader = (async () => {
        try {
          for await (const batch of batches(readRows(spec, opts.file, progress), size)) {
            if (stop) break;
            ahead.push(run.prepare(batch));
            wake(wakeExecutor);
            while (ahead.length >= READ_AHEAD && !stop) await new Promise<void>((r) => (wakeReader = r));
          }
        } catch (e) {
          readError = e;
        } finally {
          readDone = true;
          wake(wakeExecutor);
        }
      })();
      let allExecuted = false;
      try {
        for (;;) {
          while (ahead.length === 0 && !readDone) await new Promise<void>((r) => (wakeExecutor = r));
          // A refusal found while reading: nothing more is executed (all is rolled back).
          if (readError) throw readError;
          const next = ahead.shift();
          if (!next) break;
          wake(wakeReader);
          await run.execute(next);
          await opts.onProgress?.({ rows: run.report.rows, bytesRead: progress.bytesRead, totalBytes });
        }
        allExecuted = true;
      } finally {
        stop = true;
        wake(wakeReader);
        await reader;
        // After a failure, let statements still in flight end before the rollback.
        if (!allExecuted) await run.drain().catch(() => {});
      }
      // Waits for the last batch's writes: their failure fails the import (all rolled back).
      const report = await run.finish(Date.now() - started);
      ctx.audit({
        action: 'import.run',
        subjectType: 'import',
        subjectId: report.importId ?? undefined,
        outcome: 'success',
        details: {
          feed: spec.id,
          source: spec.source,
          file: fileName,
          accepted: report.accepted,
          rejected: report.rejected,
          updated: report.updated,
          unchanged: report.unchanged,
          queuedForReview: report.queuedForReview,
        },
      });
      return report;
    });
  } catch (e) {
    if (!(e instanceof ImportRefused)) throw e;
    const err = refusalError(e);
    await inTransaction(deps, actor, requestId, async (ctx) => {
      ctx.audit({
        action: 'import.run',
        subjectType: 'feed',
        subjectId: spec.id,
        outcome: 'failure',
        details: { feed: spec.id, source: spec.source, file: fileName, refused: e.code },
      });
    });
    throw err;
  }
}

function emptyReport(spec: FeedSpec, file: string, contentHash: string): ImportReport {
  return {
    accepted: 0,
    rejected: 0,
    updated: 0,
    unchanged: 0,
    queuedForReview: 0,
    rejectsByReason: {},
    warningsByReason: {},
    importId: null,
    feed: spec.id,
    source: spec.source,
    file,
    contentHash,
    rows: 0,
    linked: { byIdNumber: 0, byCertificate: 0, byMatch: 0, byReview: 0, unlinked: 0 },
    personsCreated: 0,
    personsUpdated: 0,
    fieldChanges: 0,
    conflicts: 0,
    durationMs: 0,
  };
}

// --- the run --------------------------------------------------------------------------------

/** A person while records are merged into it (loaded, or new in this batch: id null until inserted). */
export type PersonState = {
  id: number | null;
  existed: boolean;
  bidx: string;
  idNumber: string | null;
  areaCode: string;
  values: Partial<Record<PersonField, string | null>>;
  sources: Record<string, FieldSource>;
  /** A new phone number to encrypt at flush. */
  phonePlain: string | null | undefined;
  dirty: boolean;
};

type Counter = { total: number; valid: number; complete: number; timely: number; linked: number };

/**
 * A person's columns as ONE JSON array per row: the driver then parses one text value, not
 * nineteen typed ones (the look-ups return a row per record of the batch).
 */
const PERSON_JSON =
  sql.raw(`json_build_array(id, id_number_bidx, area_code, name, sex, birth_date::text, street_code,
  address, hukou_area_code, phone_masked, ethnicity, marital_status, household_no, household_relation,
  residence_status, death_date::text, mother_id, father_id, field_sources)::text as j`);

/** Persons selected with PERSON_JSON. */
function personRows(rows: Array<{ j: string }>): PersonRow[] {
  return rows.map(({ j }) => {
    const a = JSON.parse(j) as unknown[];
    return {
      id: a[0] as number,
      id_number_bidx: a[1] as string,
      area_code: a[2] as string,
      name: a[3] as string,
      sex: a[4] as string,
      birth_date: a[5] as string,
      street_code: a[6] as string | null,
      address: a[7] as string | null,
      hukou_area_code: a[8] as string | null,
      phone_masked: a[9] as string | null,
      ethnicity: a[10] as string | null,
      marital_status: a[11] as string | null,
      household_no: a[12] as string | null,
      household_relation: a[13] as string | null,
      residence_status: a[14] as string | null,
      death_date: a[15] as string | null,
      mother_id: a[16] as number | null,
      father_id: a[17] as number | null,
      field_sources: a[18],
    };
  });
}

type PersonRow = {
  id: number;
  id_number_bidx: string;
  area_code: string;
  name: string;
  sex: string;
  birth_date: string;
  street_code: string | null;
  address: string | null;
  hukou_area_code: string | null;
  phone_masked: string | null;
  ethnicity: string | null;
  marital_status: string | null;
  household_no: string | null;
  household_relation: string | null;
  residence_status: string | null;
  death_date: string | null;
  mother_id: number | null;
  father_id: number | null;
  field_sources: unknown;
};

function stateOf(r: PersonRow): PersonState {
  const sources = decodeSources(r.field_sources);
  return {
    id: Number(r.id),
    existed: true,
    bidx: r.id_number_bidx,
    idNumber: null,
    areaCode: r.area_code,
    values: {
      name: r.name,
      sex: r.sex,
      birth_date: r.birth_date,
      street_code: r.street_code,
      address: r.address,
      hukou_area_code: r.hukou_area_code,
      phone: sources.phone?.value ?? (r.phone_masked ? `masked:${r.phone_masked}` : null),
      ethnicity: r.ethnicity,
      marital_status: r.marital_status,
      household_no: r.household_no,
      household_relation: r.household_relation,
      residence_status: r.residence_status,
      death_date: r.death_date,
      mother_id: r.mother_id === null ? null : String(r.mother_id),
      father_id: r.father_id === null ? null : String(r.father_id),
    },
    sources,
    phonePlain: undefined,
    dirty: false,
  };
}

/** A registered person as a fuzzy-match candidate. */
function candidateOf(s: PersonState): Candidate {
  const v = s.values;
  return {
    id: s.id!,
    name: v.name ?? '',
    sex: v.sex ?? '',
    birthDate: v.birth_date ?? '',
    streetCode: v.street_code ?? null,
    motherId: v.mother_id ? Number(v.mother_id) : null,
    householdNo: v.household_no ?? null,
    address: v.address ?? null,
  };
}

type Typed = [unknown[], string];

/**
 * A PostgreSQL array literal (`{"a","b",NULL,1}`) of strings, numbers, booleans and nulls —
 * what pg's `arrayString` builds for an array parameter, without its per-element regexes.
 */
export function arrayLiteral(values: readonly unknown[]): string {
  // The usual case, strings without quotes or backslashes and no nulls: one native join.
  let plain = true;
  for (let i = 0; i < values.length && plain; i++) {
    const v = values[i];
    plain = typeof v === 'string' && v.indexOf('"') < 0 && v.indexOf('\\') < 0;
  }
  if (plain) return values.length ? `{"${values.join('","')}"}` : '{}';
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number' || typeof v === 'boolean') out += String(v);
    else {
      const s = String(v);
      out += s.indexOf('"') < 0 && s.indexOf('\\') < 0 ? `"${s}"` : `"${s.replace(/[\\"]/g, '\\$&')}"`;
    }
  }
  return `${out}}`;
}

/** `insert … select <list> from unnest($1::t1[], …) as u(c1, …) <tail>` in one statement. */
async function unnestInsert<R = Record<string, unknown>>(
  trx: Transaction<Database>,
  head: string,
  cols: Record<string, Typed>,
  selectList: string,
  tail = '',
): Promise<R[]> {
  const names = Object.keys(cols);
  if (names.length === 0 || cols[names[0]][0].length === 0) return [];
  const params: RawBuilder<unknown>[] = names.map(
    (n) => sql`${arrayLiteral(cols[n][0])}::${sql.raw(cols[n][1])}[]`,
  );
  const q = sql<R>`${sql.raw(head)} select ${sql.raw(selectList)} from unnest(${sql.join(params)}) as u(${sql.raw(names.join(', '))}) ${sql.raw(tail)}`;
  return (await q.execute(trx)).rows;
}

/** A batch validated, hashed, mapped and blind-indexed (ImportRun.prepare). */
type Prepared = {
  rows: number;
  rejects: RejectedRow[];
  /** Each reject's masked values (JSON). */
  rejectValues: string[];
  valid: ValidRow[];
  hashes: string[];
  mapped: Mapped[];
  timely: boolean[];
  /** ID number → blind index, for every ID number of the batch's records. */
  bidxOf: Map<string, string>;
  /** Phone number → its blind index. */
  phoneIdx: Map<string, string>;
};

type PendingEvent = {
  kind: string;
  person: PersonState | null;
  related: PersonState | null;
  areaCode: string;
  date: string | null;
  recordId: string;
  details: Record<string, string | null>;
};

type PendingRecord = {
  recordId: string;
  updatedAt: string;
  hash: string;
  person: PersonState | null;
  method: string | null;
  areaCode: string;
};

type PendingReview = {
  recordId: string;
  candidateId: number;
  areaCode: string;
  score: number;
  reasons: string[];
  record: Record<string, string | null>;
  /** What `record` masks that a "same" decision merges (JSON): parents resolved, phone encrypted. */
  maskedFacts: string;
};

/** A field history row to write; `origin` says which record (source, feed, time, import). */
type PendingChange = {
  person: PersonState;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  oldSource: string | null;
  origin: Origin;
};

type PendingConflict = {
  person: PersonState;
  field: string;
  currentValue: string | null;
  currentSource: string | null;
  offeredValue: string | null;
  origin: Origin;
};

/**
 * Records' facts merged into registered persons by source precedence, then written: the changed
 * persons (values, phone, area, field_sources: one update), the field history and the conflicts
 * (one insert each). The import merges a batch's records in file order and writes once per
 * batch; a review's "same" decision is a batch of one (mergeAndWrite). Nothing else writes
 * person_field_history or field_conflict.
 */
class FieldChanges {
  private readonly persons = new Set<PersonState>();
  private readonly history: PendingChange[] = [];
  private readonly conflicts: PendingConflict[] = [];

  constructor(
    private readonly cipher: Cipher,
    /** A phone number's blind index (the import has the batch's computed ahead). */
    private readonly phoneIndex: (phone: string) => string = (ph) => cipher.blindIndex(`phone:${ph}`),
  ) {}

  /**
   * Merges one record's facts into a person, in memory (`st` is updated: values, provenance,
   * area following the street, the phone to encrypt). The changes of a person that existed
   * before become field history rows, overruled values open conflicts; both are counted.
   */
  merge(st: PersonState, incoming: Facts, origin: Origin): { changes: number; conflicts: number } {
    let facts = incoming;
    let phonePlain: string | null = null;
    if (facts.phone) {
      phonePlain = facts.phone;
      facts = { ...facts, phone: this.phoneIndex(facts.phone) };
    }
    this.persons.add(st);
    const r = mergeFacts(st.values, st.sources, facts, origin);
    if (r.changes.length || r.provenanceOnly) st.dirty = true;
    let changes = 0;
    for (const ch of r.changes) {
      if (ch.field === 'phone') st.phonePlain = phonePlain;
      if (ch.field === 'street_code') st.areaCode = managementAreaOf(ch.newValue) ?? st.areaCode;
      if (st.existed) {
        changes++;
        const mask = (v: string | null) =>
          ch.field === 'phone' ? (v === null ? null : v.startsWith('masked:') ? v.slice(7) : '(changed)') : v;
        this.history.push({
          person: st,
          field: ch.field,
          oldValue: mask(ch.oldValue),
          newValue: ch.field === 'phone' ? (phonePlain ? maskPhone(phonePlain) : null) : ch.newValue,
          oldSource: ch.oldSource,
          origin,
        });
      }
    }
    for (const cf of r.conflicts) {
      const hide = cf.field === 'phone';
      this.conflicts.push({
        person: st,
        field: cf.field,
        currentValue: hide ? null : cf.currentValue,
        currentSource: cf.currentSource,
        offeredValue: hide ? (phonePlain ? maskPhone(phonePlain) : null) : cf.offeredValue,
        origin,
      });
    }
    return { changes, conflicts: r.conflicts.length };
  }

  /**
   * Writes what the merges changed, for persons registered by now (a new person is inserted
   * before, with its merged values; it is updated here only to set its parents). Set-based:
   * three statements whatever the number of persons. Returns the number of persons that existed
   * before and were updated.
   */
  async write(trx: Transaction<Database>, now: Date): Promise<number> {
    const { cipher } = this;
    const dirty = [...this.persons].filter((s) => s.dirty && s.id !== null);
    if (dirty.length) {
      const col = <T>(f: (s: PersonState) => T) => dirty.map(f);
      const phone = (s: PersonState) => s.phonePlain;
      await unnestInsert(
        trx,
        `update person p set area_code = v.area_code, street_code = v.street_code, name = v.name, sex = v.sex,
          birth_date = v.birth_date, hukou_area_code = v.hukou, ethnicity = v.ethnicity, marital_status = v.marital,
          address = v.address, household_no = v.household_no, household_relation = v.household_relation,
          residence_status = v.residence_status, death_date = v.death_date, mother_id = v.mother_id,
          father_id = v.father_id, field_sources = v.field_sources,
          phone_enc = case when v.phone_set then v.phone_enc else p.phone_enc end,
          phone_masked = case when v.phone_set then v.phone_masked else p.phone_masked end,
          updated_at = now()
          from (`,
        {
          id: [col((s) => s.id), 'int8'],
          ...personColumns(dirty),
          mother_id: [col((s) => (s.values.mother_id ? Number(s.values.mother_id) : null)), 'int8'],
          father_id: [col((s) => (s.values.father_id ? Number(s.values.father_id) : null)), 'int8'],
          phone_set: [col((s) => phone(s) !== undefined), 'bool'],
          phone_enc: [col((s) => (phone(s) ? cipher.encrypt(phone(s)!) : null)), 'text'],
          phone_masked: [col((s) => (phone(s) ? maskPhone(phone(s)!) : null)), 'text'],
        },
        `id, area_code, street_code, name, sex, birth_date, hukou, ethnicity, marital, address, household_no,
          household_relation, residence_status, death_date, mother_id, father_id, field_sources::jsonb as field_sources,
          phone_set, phone_enc, phone_masked`,
        ') v where p.id = v.id',
      );
      for (const s of dirty) {
        s.dirty = false;
        s.phonePlain = undefined;
      }
    }
    const at = `'${now.toISOString()}'::timestamptz`;
    const ch = this.history.filter((c) => c.person.id !== null);
    if (ch.length) {
      await unnestInsert(
        trx,
        `insert into person_field_history (person_id, area_code, field, old_value, new_value, old_source, source,
          feed_id, record_id, source_updated_at, import_id, changed_at)`,
        {
          ...whoAndWhence(ch),
          old_value: [ch.map((c) => c.oldValue), 'text'],
          new_value: [ch.map((c) => c.newValue), 'text'],
          old_source: [ch.map((c) => c.oldSource), 'text'],
          at: [ch.map((c) => c.origin.at), 'timestamp'],
        },
        `person_id, area_code, field, old_value, new_value, old_source, source, feed_id, record_id, at, import_id, ${at}`,
      );
    }
    const cf = this.conflicts.filter((c) => c.person.id !== null);
    if (cf.length) {
      await unnestInsert(
        trx,
        `insert into field_conflict (person_id, area_code, field, current_value, current_source, offered_value, source,
          feed_id, record_id, import_id, created_at)`,
        {
          ...whoAndWhence(cf),
          current_value: [cf.map((c) => c.currentValue), 'text'],
          current_source: [cf.map((c) => c.currentSource), 'text'],
          offered_value: [cf.map((c) => c.offeredValue), 'text'],
        },
        `person_id, area_code, field, current_value, current_source, offered_value, source, feed_id, record_id,
          import_id, ${at}`,
        'on conflict (person_id, field, feed_id, record_id) do nothing',
      );
    }
    return dirty.filter((s) => s.existed).length;
  }
}

/** A person's merged values as columns, for its insert and its update alike. */
function personColumns(states: readonly PersonState[]) {
  const col = <T>(f: (s: PersonState) => T) => states.map(f);
  return {
    area_code: [col((s) => s.areaCode), 'text'],
    street_code: [col((s) => s.values.street_code ?? null), 'text'],
    name: [col((s) => s.values.name), 'text'],
    sex: [col((s) => s.values.sex), 'text'],
    birth_date: [col((s) => s.values.birth_date), 'date'],
    hukou: [col((s) => s.values.hukou_area_code ?? null), 'text'],
    ethnicity: [col((s) => s.values.ethnicity ?? null), 'text'],
    marital: [col((s) => s.values.marital_status ?? null), 'text'],
    address: [col((s) => s.values.address ?? null), 'text'],
    household_no: [col((s) => s.values.household_no ?? null), 'text'],
    household_relation: [col((s) => s.values.household_relation ?? null), 'text'],
    residence_status: [col((s) => s.values.residence_status ?? null), 'text'],
    death_date: [col((s) => s.values.death_date ?? null), 'date'],
    field_sources: [col((s) => encodeSources(s.sources)), 'text'],
  } satisfies Record<string, Typed>;
}

/** The columns field history and conflicts share: the person, its area, the field, the record's origin. */
function whoAndWhence(rows: ReadonlyArray<{ person: PersonState; field: string; origin: Origin }>) {
  return {
    person_id: [rows.map((c) => c.person.id), 'int8'],
    area_code: [rows.map((c) => c.person.areaCode), 'text'],
    field: [rows.map((c) => c.field), 'text'],
    source: [rows.map((c) => c.origin.source), 'text'],
    feed_id: [rows.map((c) => c.origin.feed), 'text'],
    record_id: [rows.map((c) => c.origin.record), 'text'],
    import_id: [rows.map((c) => c.origin.import), 'int8'],
  } satisfies Record<string, Typed>;
}

/**
 * Merges one record's facts into a registered person and writes the changes as the import does
 * (FieldChanges, a batch of one), e.g. a review's "same" decision. Returns the field changes.
 */
export async function mergeAndWrite(
  trx: Transaction<Database>,
  cipher: Cipher,
  now: Date,
  person: PersonState,
  facts: Facts,
  origin: Origin,
): Promise<number> {
  const changes = new FieldChanges(cipher);
  const n = changes.merge(person, facts, origin);
  await changes.write(trx, now);
  return n.changes;
}

/** Registered persons by id, as the import holds them (`lock`: for update). */
export async function loadPersons(
  trx: Transaction<Database>,
  ids: readonly number[],
  opts: { lock?: boolean } = {},
): Promise<PersonState[]> {
  if (!ids.length) return [];
  const rows = await sql<{
    j: string;
  }>`select ${PERSON_JSON} from person where id = any(${arrayLiteral(ids)}::int8[])
    ${opts.lock ? sql`for update` : sql``}`.execute(trx);
  return personRows(rows.rows).map(stateOf);
}

/** Masks ID and phone numbers in a row's values (rejects, review items). */
export function maskedValues(spec: FeedSpec, cells: (string | null)[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  spec.columns.forEach((c, i) => {
    const v = cells[i] ?? null;
    if (v === null) out[c.key] = null;
    else if (c.type === 'id-number' || /idnumber/i.test(c.key)) out[c.key] = maskIdNumber(v);
    else if (/phone/i.test(c.key)) out[c.key] = maskPhone(v);
    else out[c.key] = maskIdsIn(v);
  });
  return out;
}

const ID_LIKE = /\d{17}[\dXx]/;

function hashValues(values: Record<string, string | null>): string {
  return hash('sha256', JSON.stringify(values), 'hex').slice(0, 32);
}

class ImportRun {
  report: ImportReport;
  private importId = 0;
  /** The previous batch's writes still in flight (see execute). */
  private tail: Promise<void> | null = null;
  private counters = new Map<string, Counter>();
  private readonly validate;
  private readonly startedAt: Date;
  /**
   * The registry's surname characters by toneless reading (zhang → 张, 章), so that a record
   * whose surname is a homophone typo still finds its person. Read once per run from
   * person_surname, when a batch first needs fuzzy matching; then kept up to date with the
   * names this run writes (a 章 first registered by an earlier batch of the same file).
   */
  private surnames: Map<string, Set<string>> | null = null;
  /** The characters already in `surnames`. */
  private readonly surnameChars = new Set<string>();

  constructor(
    private readonly ctx: Ctx,
    private readonly spec: FeedSpec,
    fileName: string,
    contentHash: string,
    private readonly jobId: number | null,
  ) {
    this.report = emptyReport(spec, fileName, contentHash);
    this.validate = validator(spec, todayIn(ctx.now), scopeAreaOf(ctx.actor));
    this.startedAt = ctx.now;
  }

  private get trx() {
    return this.ctx.trx;
  }

  async begin(): Promise<void> {
    const r = await this.trx
      .insertInto('import_batch')
      .values({
        job_id: this.jobId,
        feed_id: this.spec.id,
        source: this.spec.source,
        file_name: this.report.file,
        content_hash: this.report.contentHash,
        actor_id: this.ctx.actor.userId,
        area_code: scopeAreaOf(this.ctx.actor),
        started_at: this.startedAt,
        finished_at: this.startedAt,
        total_rows: 0,
        accepted: 0,
        rejected: 0,
        updated: 0,
        unchanged: 0,
        queued_for_review: 0,
        report: JSON.stringify({}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.importId = Number(r.id);
    this.report.importId = this.importId;
  }

  private count(area: string | null): Counter {
    const k = area ?? 'unknown';
    let c = this.counters.get(k);
    if (!c) {
      c = { total: 0, valid: 0, complete: 0, timely: 0, linked: 0 };
      this.counters.set(k, c);
    }
    return c;
  }

  private async homophoneSurnames(): Promise<Map<string, Set<string>>> {
    if (!this.surnames) {
      // Kept by triggers on person (migration 0007): a few thousand rows, not a scan of person.
      const r = await sql<{ s: string }>`select ch as s from person_surname`.execute(this.trx);
      this.surnames = new Map();
      for (const { s } of r.rows) this.noteSurname(s);
    }
    return this.surnames;
  }

  /**
   * Adds a name's surname character to the homophone groups (once these are read). Called for
   * every merged row, so a character already grouped costs one set look-up, not its readings.
   */
  private noteSurname(name: string | null | undefined): void {
    if (!this.surnames || !name) return;
    const ch = String.fromCodePoint(name.codePointAt(0)!);
    if (this.surnameChars.has(ch)) return;
    this.surnameChars.add(ch);
    for (const key of surnameReadings(ch)) {
      const group = this.surnames.get(key);
      if (!group) this.surnames.set(key, new Set([ch]));
      else group.add(ch);
    }
  }

  private warn(code: string): void {
    this.report.warningsByReason[code] = (this.report.warningsByReason[code] ?? 0) + 1;
  }

  /**
   * The part of a batch that needs no database (validation, blind indexes, hashes, mapping):
   * pure, so the next batch is prepared while this one's statements are in flight.
   */
  prepare(rows: RawRow[]): Prepared {
    const { spec, ctx } = this;
    const rejects: RejectedRow[] = [];
    const valid: ValidRow[] = [];
    for (const r of rows) {
      const c = this.validate(r);
      if (c.ok) {
        // A record id that embeds an ID number (the student number) is kept as its blind index.
        if (ID_LIKE.test(c.recordId)) c.recordId = `bidx:${ctx.cipher.blindIndex(c.recordId)}`;
        valid.push(c);
      } else {
        if (c.recordId && ID_LIKE.test(c.recordId)) c.recordId = maskIdsIn(c.recordId);
        rejects.push(c);
      }
    }
    const hashes: string[] = new Array(valid.length);
    const mapped: Mapped[] = new Array(valid.length);
    const timely: boolean[] = new Array(valid.length);
    const bidxOf = new Map<string, string>();
    const phoneIdx = new Map<string, string>();
    const bidx = (id: string | null | undefined) => {
      if (id && !bidxOf.has(id)) bidxOf.set(id, ctx.cipher.blindIndex(id));
    };
    const phone = (ref: PersonRef | undefined) => {
      const ph = ref?.facts.phone;
      if (ph && !phoneIdx.has(ph)) phoneIdx.set(ph, ctx.cipher.blindIndex(`phone:${ph}`));
    };
    for (let i = 0; i < valid.length; i++) {
      const row = valid[i];
      hashes[i] = hashValues(row.values);
      timely[i] = !row.eventDate || daysBetween(row.eventDate, row.updatedAt) <= TIMELY_DAYS;
      const m = mapRecord(spec.id, row.values);
      mapped[i] = m;
      bidx(m.subject.idNumber);
      bidx(m.partner?.idNumber);
      bidx(m.motherIdNumber);
      bidx(m.fatherIdNumber);
      phone(m.subject);
      phone(m.partner);
    }
    const rejectValues = rejects.map((r) => JSON.stringify(maskedValues(spec, r.cells)));
    return { rows: rows.length, rejects, rejectValues, valid, hashes, mapped, timely, bidxOf, phoneIdx };
  }

  async execute(prep: Prepared): Promise<void> {
    const { spec, report, ctx } = this;
    const { rejects, valid } = prep;
    await this.drain();
    report.rows += prep.rows;
    for (const r of rejects) {
      report.rejected++;
      report.rejectsByReason[r.reason] = (report.rejectsByReason[r.reason] ?? 0) + 1;
      this.count(r.areaCode).total++;
    }

    // Classify against what is stored (and against earlier rows of this batch). One primary-key
    // probe per record (lateral, not flattened): with `record_id = any(5,000 ids)` and no fresh
    // statistics — the file's own rows are uncommitted, so never analyzed — the planner used the
    // key only for feed_id and filtered every stored row of the feed against the array, which
    // made a full-scale file quadratic (0.9 s a batch at 7 M rows).
    const known = new Map<
      string,
      { updatedAt: string; hash: string; personId: number | null; linked: boolean }
    >();
    if (valid.length) {
      const stored = await sql<{
        record_id: string;
        updated_at: string;
        row_hash: string;
        person_id: number | null;
      }>`
        select s.record_id, s.updated_at::text as updated_at, s.row_hash, s.person_id
        from unnest(${arrayLiteral(valid.map((v) => v.recordId))}::text[]) as r(id)
        cross join lateral (select * from source_record s where s.feed_id = ${spec.id} and s.record_id = r.id offset 0) s`.execute(
        this.trx,
      );
      for (const s of stored.rows)
        known.set(s.record_id, {
          updatedAt: s.updated_at.slice(0, 19),
          hash: s.row_hash,
          personId: s.person_id,
          linked: s.person_id !== null,
        });
    }
    /** wasUnlinked: stored before without a person (it may be waiting in the review queue). */
    type Work = { row: ValidRow; hash: string; mapped: Mapped; isNew: boolean; wasUnlinked: boolean };
    const work: Work[] = [];
    const workByRecord = new Map<string, Work>();
    for (let i = 0; i < valid.length; i++) {
      const row = valid[i];
      const c = this.count(row.areaCode);
      c.total++;
      c.valid++;
      if (row.missing.length === 0) c.complete++;
      else for (let j = 0; j < row.missing.length; j++) this.warn('field.missing');
      if (prep.timely[i]) c.timely++;
      const hash = prep.hashes[i];
      const k = known.get(row.recordId);
      if (k) {
        if (row.updatedAt <= k.updatedAt) {
          report.unchanged++;
          if (row.updatedAt < k.updatedAt) this.warn('record.stale');
          else if (hash !== k.hash) this.warn('record.same_time_changed');
          if (k.linked) c.linked++;
          continue;
        }
        report.updated++;
      } else {
        report.accepted++;
      }
      const w: Work = { row, hash, mapped: prep.mapped[i], isNew: !k, wasUnlinked: Boolean(k && !k.linked) };
      // A newer version of a record earlier in this batch replaces it.
      const earlier = workByRecord.get(row.recordId);
      if (earlier) work.splice(work.indexOf(earlier), 1);
      workByRecord.set(row.recordId, w);
      work.push(w);
      known.set(row.recordId, { updatedAt: row.updatedAt, hash, personId: null, linked: false });
    }

    // Look-ups: persons by ID number (blind index), links by birth certificate, candidates.
    const byBidx = new Map<string, PersonState>();
    const byId = new Map<number, PersonState>();
    const bidxOf = new Map<string, string>();
    const bidx = (id: string) => {
      let b = bidxOf.get(id);
      if (!b) {
        b = prep.bidxOf.get(id) ?? ctx.cipher.blindIndex(id);
        bidxOf.set(id, b);
      }
      return b;
    };
    for (const w of work) {
      const m = w.mapped;
      for (const id of [m.subject.idNumber, m.partner?.idNumber, m.motherIdNumber, m.fatherIdNumber])
        if (id) bidx(id);
    }
    const addState = (s: PersonState) => {
      byBidx.set(s.bidx, s);
      if (s.id !== null) byId.set(s.id, s);
    };
    /** Loads the persons of these ids not loaded yet. */
    const loadAbsent = async (ids: number[]) => {
      for (const s of await loadPersons(
        this.trx,
        ids.filter((id) => !byId.has(id)),
      ))
        addState(s);
    };
    if (bidxOf.size) {
      const rows = await sql<{
        j: string;
      }>`select ${PERSON_JSON} from person where id_number_bidx = any(${arrayLiteral([...bidxOf.values()])}::text[])`.execute(
        this.trx,
      );
      for (const r of personRows(rows.rows)) addState(stateOf(r));
    }
    const needCert = work.filter((w) => !w.mapped.subject.idNumber && w.mapped.subject.certificateNo);
    const certLinks = new Map<string, number>();
    if (needCert.length) {
      const rows = await sql<{ record_id: string; person_id: number }>`
        select s.record_id, s.person_id
        from unnest(${arrayLiteral(needCert.map((w) => w.mapped.subject.certificateNo!))}::text[]) as r(id)
        cross join lateral (select * from source_record s where s.feed_id = 'health-birth-certificates'
          and s.record_id = r.id offset 0) s
        where s.person_id is not null`.execute(this.trx);
      for (const r of rows.rows) certLinks.set(r.record_id, Number(r.person_id));
    }
    const needMatch = work.filter(
      (w) =>
        !w.mapped.subject.idNumber &&
        !(w.mapped.subject.certificateNo && certLinks.has(w.mapped.subject.certificateNo)) &&
        w.mapped.subject.facts.name &&
        w.mapped.subject.facts.birth_date,
    );
    const candidatesByKey = new Map<string, Candidate[]>();
    const decisions = new Map<string, { same: Set<number>; different: Set<number> }>();
    if (needMatch.length) {
      // Distinct (birth date, surname) pairs, for the record's surname and every registered
      // surname that sounds the same (张 and 章): each person then matches at most one of them.
      // Candidates are grouped by (birth date, surname sound).
      const surnames = await this.homophoneSurnames();
      const pairs = new Map<string, [string, string]>();
      for (const w of needMatch) {
        const d = w.mapped.subject.facts.birth_date!;
        const name = w.mapped.subject.facts.name!;
        const s = [...name][0];
        pairs.set(`${d}|${s}`, [d, s]);
        for (const h of surnames.get(surnameSound(name)) ?? []) pairs.set(`${d}|${h}`, [d, h]);
      }
      const q = [...pairs.values()];
      // A nested loop over the pairs, not a scan of every person; on index person_birth_surname
      // both the date and the surname are index conditions (migration 0004).
      const found = await sql<{ j: string }>`
        select ${PERSON_JSON} from unnest(${arrayLiteral(q.map((x) => x[0]))}::date[],
          ${arrayLiteral(q.map((x) => x[1]))}::text[]) as q(d, s)
        cross join lateral (select * from person p where p.birth_date = q.d and left(p.name, 1) = q.s offset 0) p`.execute(
        this.trx,
      );
      const rows = personRows(found.rows).sort((a, b) => Number(a.id) - Number(b.id));
      for (const r of rows) {
        const st = byId.get(Number(r.id)) ?? stateOf(r);
        if (!byId.has(st.id!)) addState(st);
        const key = `${r.birth_date}|${surnameSound(r.name)}`;
        const list = candidatesByKey.get(key) ?? [];
        list.push(candidateOf(st));
        candidatesByKey.set(key, list);
      }
      const dec = await this.trx
        .selectFrom('linkage_decision')
        .select(['record_id', 'candidate_person_id', 'decision'])
        .where('feed_id', '=', spec.id)
        .where(
          'record_id',
          'in',
          needMatch.map((w) => w.row.recordId),
        )
        .execute();
      for (const d of dec) {
        const e = decisions.get(d.record_id) ?? { same: new Set<number>(), different: new Set<number>() };
        (d.decision === 'same' ? e.same : e.different).add(Number(d.candidate_person_id));
        decisions.set(d.record_id, e);
      }
      // A remembered "same" holds even when the person no longer shares the record's birth date
      // and surname (a corrected birth date, a new name): never asked again.
      const sameIds = [
        ...new Set(dec.filter((d) => d.decision === 'same').map((d) => Number(d.candidate_person_id))),
      ];
      await loadAbsent(sameIds);
    }
    await loadAbsent([...new Set(certLinks.values())]);

    // Link and merge, record by record (in file order).
    const records: PendingRecord[] = [];
    const events: PendingEvent[] = [];
    const reviews: PendingReview[] = [];
    const changes = new FieldChanges(
      ctx.cipher,
      (ph) => prep.phoneIdx.get(ph) ?? ctx.cipher.blindIndex(`phone:${ph}`),
    );
    const spouses: Array<[PersonState, PersonState, string | null, string]> = [];
    const households = new Map<
      string,
      { kind: string | null; streetCode: string | null; areaCode: string }
    >();
    const newPersons: PersonState[] = [];
    const superseded: string[] = [];

    const resolve = (ref: PersonRef, areaCode: string): PersonState | null => {
      if (!ref.idNumber) return null;
      const b = bidx(ref.idNumber);
      const s = byBidx.get(b);
      if (s) return s;
      if (!ref.canCreate) return null;
      const st: PersonState = {
        id: null,
        existed: false,
        bidx: b,
        idNumber: ref.idNumber,
        areaCode: areaOfStreet(ref.facts.street_code) ?? areaCode,
        values: {},
        sources: {},
        phonePlain: undefined,
        dirty: true,
      };
      byBidx.set(b, st);
      newPersons.push(st);
      return st;
    };

    const apply = (st: PersonState, ref: PersonRef, w: Work, extra: Facts = {}) => {
      const facts: Facts = { ...ref.facts, ...extra };
      if (ref.idNumber && (!facts.birth_date || !facts.sex)) {
        const p = parseIdNumber(ref.idNumber);
        if (p.ok) {
          facts.birth_date ??= p.value.birthDate;
          facts.sex ??= p.value.sex;
        }
      }
      const origin: Origin = {
        source: spec.source,
        feed: spec.id,
        record: w.row.recordId,
        at: w.row.updatedAt,
        import: this.importId,
      };
      const n = changes.merge(st, facts, origin);
      report.fieldChanges += n.changes;
      report.conflicts += n.conflicts;
      // A new person's surname, or a changed name's, is a candidate for later batches.
      this.noteSurname(st.values.name);
    };

    for (const w of work) {
      const { row, mapped } = w;
      const subj = mapped.subject;
      let person: PersonState | null = null;
      let method: string | null = null;
      const mother = mapped.motherIdNumber ? (byBidx.get(bidx(mapped.motherIdNumber)) ?? null) : null;
      const father = mapped.fatherIdNumber ? (byBidx.get(bidx(mapped.fatherIdNumber)) ?? null) : null;
      if (subj.idNumber) {
        person = resolve(subj, row.areaCode);
        method = person ? 'id' : null;
        if (person) report.linked.byIdNumber++;
      } else if (subj.certificateNo && certLinks.has(subj.certificateNo)) {
        person = byId.get(certLinks.get(subj.certificateNo)!) ?? null;
        method = person ? 'certificate' : null;
        if (person) report.linked.byCertificate++;
      } else if (subj.facts.name && subj.facts.birth_date) {
        const probe: Probe = {
          name: subj.facts.name,
          sex: subj.facts.sex ?? null,
          birthDate: subj.facts.birth_date,
          streetCode: row.values.streetCode ?? null,
          motherId: mother?.id ?? null,
          address: subj.facts.address ?? null,
        };
        let cands = candidatesByKey.get(`${probe.birthDate}|${surnameSound(probe.name)}`) ?? [];
        const remembered = decisions.get(row.recordId);
        for (const id of remembered?.same ?? []) {
          const st = byId.get(id);
          if (st && !cands.some((c) => c.id === id)) cands = [...cands, candidateOf(st)];
        }
        const d = decideLink(probe, cands, remembered);
        if (d.kind === 'link') {
          person = byId.get(d.personId) ?? null;
          method = d.reasons.includes('review.same') ? 'review' : 'match';
          if (person) {
            if (method === 'review') report.linked.byReview++;
            else report.linked.byMatch++;
          }
        } else if (d.kind === 'review') {
          report.queuedForReview++;
          const record = maskedValues(
            spec,
            spec.columns.map((c) => row.values[c.key] ?? null),
          );
          // What a "same" decision needs and `record` masks: what apply() below would merge.
          const hidden: { mother_id?: string; father_id?: string; phone_enc?: string } = {};
          if (mother?.id) hidden.mother_id = String(mother.id);
          if (father?.id) hidden.father_id = String(father.id);
          if (subj.facts.phone) hidden.phone_enc = ctx.cipher.encrypt(subj.facts.phone);
          // Always an object, empty when nothing was resolved (migration 0006 made it required).
          const maskedFacts = JSON.stringify(hidden);
          for (const s of d.candidates)
            reviews.push({
              recordId: row.recordId,
              candidateId: s.candidate.id,
              areaCode: byId.get(s.candidate.id)?.areaCode ?? row.areaCode,
              score: s.score,
              reasons: s.reasons,
              record,
              maskedFacts,
            });
        }
      }
      if (!person) report.linked.unlinked++;
      else this.count(row.areaCode).linked++;

      if (person) {
        const extra: Facts = {};
        if (mother?.id) extra.mother_id = String(mother.id);
        if (father?.id) extra.father_id = String(father.id);
        apply(person, subj, w, extra);
      }
      let partner: PersonState | null = null;
      if (mapped.partner) {
        partner = resolve(mapped.partner, row.areaCode);
        if (partner) apply(partner, mapped.partner, w);
        if (person && partner) spouses.push([person, partner, row.eventDate, row.recordId]);
      }
      if (mapped.event) {
        events.push({
          kind: mapped.event.kind,
          person,
          related: mapped.event.kind === 'birth' ? mother : mapped.event.kind === 'marriage' ? partner : null,
          areaCode: row.areaCode,
          date: mapped.event.date,
          recordId: row.recordId,
          details: mapped.event.details,
        });
      }
      if (mapped.household) {
        households.set(mapped.household.no, {
          kind: mapped.household.kind,
          streetCode: mapped.household.streetCode,
          areaCode: row.areaCode,
        });
      }
      // A newer version of a record stored unlinked replaces whatever of it waits for staff:
      // its open review items go, and the new version is queued again if it still needs to be.
      if (w.wasUnlinked) superseded.push(row.recordId);
      records.push({
        recordId: row.recordId,
        updatedAt: row.updatedAt,
        hash: w.hash,
        person,
        method,
        areaCode: row.areaCode,
      });
    }

    await this.flushPersons(newPersons);
    // The rest of the batch's writes are not waited for here: the next batch is read and
    // prepared meanwhile, and its statements start only after them (drain()).
    this.tail = this.flushRest(
      records,
      events,
      reviews,
      changes,
      spouses,
      households,
      rejects,
      prep.rejectValues,
      superseded,
    );
    // Awaited by drain(); a failure meanwhile must not count as unhandled.
    this.tail.catch(() => {});
  }

  /** Waits for the last batch's remaining writes (and throws their error). */
  async drain(): Promise<void> {
    const t = this.tail;
    this.tail = null;
    if (t) await t;
  }

  /** Registers the batch's new persons (their merged values); the rest is FieldChanges.write. */
  private async flushPersons(newPersons: PersonState[]): Promise<void> {
    const { ctx, report } = this;
    const created = newPersons.filter(
      (s) => s.values.name && s.values.sex && s.values.birth_date && s.idNumber,
    );
    if (created.length) {
      const col = <T>(f: (s: PersonState) => T) => created.map(f);
      const idEnc = col((s) => ctx.cipher.encrypt(s.idNumber!));
      const phoneEnc = col((s) => (s.phonePlain ? ctx.cipher.encrypt(s.phonePlain) : null));
      const rows = await unnestInsert<{ id: number; id_number_bidx: string }>(
        this.trx,
        `insert into person (area_code, street_code, id_number_enc, id_number_bidx, id_number_masked, name, sex,
          birth_date, phone_enc, phone_masked, hukou_area_code, ethnicity, marital_status, address, household_no,
          household_relation, residence_status, death_date, field_sources)`,
        {
          ...personColumns(created),
          id_enc: [idEnc, 'text'],
          bidx: [col((s) => s.bidx), 'text'],
          masked: [col((s) => maskIdNumber(s.idNumber!)), 'text'],
          phone_enc: [phoneEnc, 'text'],
          phone_masked: [col((s) => (s.phonePlain ? maskPhone(s.phonePlain) : null)), 'text'],
        },
        `area_code, street_code, id_enc, bidx, masked, name, sex, birth_date, phone_enc, phone_masked, hukou,
          ethnicity, marital, address, household_no, household_relation, residence_status, death_date, field_sources::jsonb`,
        'on conflict (id_number_bidx) do nothing returning id, id_number_bidx',
      );
      const ids = new Map(rows.map((r) => [r.id_number_bidx, Number(r.id)]));
      const lost = created.filter((s) => !ids.has(s.bidx));
      if (lost.length) {
        // Registered meanwhile by another import: take that row.
        const again = await sql<{ id: number; id_number_bidx: string }>`
          select id, id_number_bidx from person where id_number_bidx = any(${arrayLiteral(lost.map((s) => s.bidx))}::text[])`.execute(
          this.trx,
        );
        for (const r of again.rows) ids.set(r.id_number_bidx, Number(r.id));
      }
      for (const s of created) {
        s.id = ids.get(s.bidx) ?? null;
        // Parents are written by the update below (they may be new in this batch too).
        s.dirty = Boolean(s.values.mother_id || s.values.father_id);
        s.phonePlain = undefined;
      }
      report.personsCreated += rows.length;
    }
  }

  private async flushRest(
    records: PendingRecord[],
    events: PendingEvent[],
    reviews: PendingReview[],
    changes: FieldChanges,
    spouses: Array<[PersonState, PersonState, string | null, string]>,
    households: Map<string, { kind: string | null; streetCode: string | null; areaCode: string }>,
    rejects: RejectedRow[],
    rejectValues: string[],
    superseded: string[],
  ): Promise<void> {
    const { spec, trx } = this;
    // The persons' changes first: their values, field history and conflicts.
    this.report.personsUpdated += await changes.write(trx, this.ctx.now);
    if (superseded.length) {
      await sql`delete from review_item where feed_id = ${spec.id} and status = 'open'
        and record_id = any(${arrayLiteral(superseded)}::text[])`.execute(trx);
    }
    const now = this.ctx.now.toISOString();
    const importId = this.importId;
    const n = (k: number) => Array.from({ length: k }, () => importId);
    if (records.length) {
      await unnestInsert(
        trx,
        'insert into source_record (feed_id, record_id, source, updated_at, row_hash, person_id, link_method, area_code, import_id)',
        {
          record_id: [records.map((r) => r.recordId), 'text'],
          updated_at: [records.map((r) => r.updatedAt), 'timestamp'],
          row_hash: [records.map((r) => r.hash), 'text'],
          person_id: [records.map((r) => r.person?.id ?? null), 'int8'],
          method: [records.map((r) => r.method), 'text'],
          area_code: [records.map((r) => r.areaCode), 'text'],
          import_id: [n(records.length), 'int8'],
        },
        `'${spec.id}', record_id, '${spec.source}', updated_at, row_hash, person_id, method, area_code, import_id`,
        `on conflict (feed_id, record_id) do update set updated_at = excluded.updated_at, row_hash = excluded.row_hash,
          person_id = coalesce(excluded.person_id, source_record.person_id), link_method = coalesce(excluded.link_method, source_record.link_method),
          area_code = excluded.area_code, import_id = excluded.import_id`,
      );
    }
    if (events.length) {
      await unnestInsert(
        trx,
        'insert into life_event (kind, person_id, related_person_id, area_code, event_date, feed_id, record_id, details, recorded_at)',
        {
          kind: [events.map((e) => e.kind), 'text'],
          person_id: [events.map((e) => e.person?.id ?? null), 'int8'],
          related: [events.map((e) => e.related?.id ?? null), 'int8'],
          area_code: [events.map((e) => e.areaCode), 'text'],
          event_date: [events.map((e) => e.date), 'date'],
          record_id: [events.map((e) => e.recordId), 'text'],
          details: [events.map((e) => JSON.stringify(e.details)), 'text'],
        },
        `kind, person_id, related, area_code, event_date, '${spec.id}', record_id, details::jsonb, '${now}'::timestamptz`,
        `on conflict (feed_id, record_id, kind) do update set person_id = coalesce(excluded.person_id, life_event.person_id),
          related_person_id = coalesce(excluded.related_person_id, life_event.related_person_id),
          area_code = excluded.area_code, event_date = excluded.event_date, details = excluded.details`,
      );
    }
    const pairs = spouses.filter(([a, b]) => a.id !== null && b.id !== null && a.id !== b.id);
    if (pairs.length) {
      const both = pairs.flatMap(([a, b, since, rec]) => [
        [a.id, b.id, since, rec],
        [b.id, a.id, since, rec],
      ]);
      await unnestInsert(
        trx,
        'insert into person_relationship (person_id, related_person_id, kind, since, feed_id, record_id)',
        {
          a: [both.map((x) => x[0]), 'int8'],
          b: [both.map((x) => x[1]), 'int8'],
          since: [both.map((x) => x[2]), 'date'],
          rec: [both.map((x) => x[3]), 'text'],
        },
        `a, b, 'spouse', since, '${spec.id}', rec`,
        'on conflict do nothing',
      );
    }
    if (households.size) {
      const hs = [...households.entries()];
      await unnestInsert(
        trx,
        'insert into household (household_no, area_code, street_code, kind, updated_at)',
        {
          no: [hs.map(([k]) => k), 'text'],
          area: [hs.map(([, h]) => h.areaCode), 'text'],
          street: [hs.map(([, h]) => h.streetCode), 'text'],
          kind: [hs.map(([, h]) => h.kind), 'text'],
        },
        `no, area, street, kind, '${now}'::timestamptz`,
        `on conflict (household_no) do update set area_code = excluded.area_code, street_code = excluded.street_code,
          kind = excluded.kind, updated_at = excluded.updated_at`,
      );
    }
    if (reviews.length) {
      await unnestInsert(
        trx,
        `insert into review_item (feed_id, record_id, source, candidate_person_id, area_code, score, reasons, record,
          masked_facts, import_id, created_at)`,
        {
          record_id: [reviews.map((r) => r.recordId), 'text'],
          candidate: [reviews.map((r) => r.candidateId), 'int8'],
          area_code: [reviews.map((r) => r.areaCode), 'text'],
          score: [reviews.map((r) => r.score), 'int4'],
          reasons: [reviews.map((r) => JSON.stringify(r.reasons)), 'text'],
          record: [reviews.map((r) => JSON.stringify(r.record)), 'text'],
          masked_facts: [reviews.map((r) => r.maskedFacts), 'text'],
        },
        `'${spec.id}', record_id, '${spec.source}', candidate, area_code, score, reasons::jsonb, record::jsonb,
          masked_facts::jsonb, ${importId}, '${now}'::timestamptz`,
        // A decided item stays as decided (an open one of an older version was removed above).
        'on conflict (feed_id, record_id, candidate_person_id) do nothing',
      );
    }
    if (rejects.length) {
      await unnestInsert(
        trx,
        'insert into import_reject (import_id, line_no, record_id, reason, column_key, detail, row_values)',
        {
          line_no: [rejects.map((r) => r.line), 'int4'],
          record_id: [rejects.map((r) => r.recordId), 'text'],
          reason: [rejects.map((r) => r.reason), 'text'],
          column_key: [rejects.map((r) => r.column), 'text'],
          row_values: [rejectValues, 'text'],
        },
        `${importId}, line_no, record_id, reason, column_key, null, row_values::jsonb`,
        'on conflict do nothing',
      );
    }
  }

  async finish(durationMs: number): Promise<ImportReport> {
    await this.drain();
    const { report, spec, trx } = this;
    report.durationMs = durationMs;
    const open = await trx
      .selectFrom('field_conflict')
      .select(['area_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('source', '=', spec.source)
      .where('status', '=', 'open')
      .groupBy('area_code')
      .execute();
    const openBy = new Map(open.map((o) => [o.area_code, Number(o.n)]));
    const now = this.ctx.now;
    const rows = [...this.counters.entries()].map(([area, c]) => ({
      import_id: this.importId,
      feed_id: spec.id,
      source: spec.source,
      area_code: area,
      computed_at: now,
      rows_total: c.total,
      rows_valid: c.valid,
      rows_complete: c.complete,
      rows_timely: c.timely,
      rows_linked: c.linked,
      open_conflicts: openBy.get(area) ?? 0,
    }));
    if (rows.length) await trx.insertInto('quality_stat').values(rows).execute();
    await trx
      .updateTable('import_batch')
      .set({
        finished_at: new Date(this.startedAt.getTime() + durationMs),
        total_rows: report.rows,
        accepted: report.accepted,
        rejected: report.rejected,
        updated: report.updated,
        unchanged: report.unchanged,
        queued_for_review: report.queuedForReview,
        report: JSON.stringify(report),
      })
      .where('id', '=', this.importId)
      .execute();
    return report;
  }
}
