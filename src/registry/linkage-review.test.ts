/**
 * Black-box review of linkage, precedence/provenance, scope and audit: small hand-made feed
 * files imported as the CLI does (importFile) or uploaded as staff do, then looked at through
 * the HTTP API the way staff and an auditor would.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCharacter, findUnmaskedIdNumbers, makeIdNumber } from '../domain/id-number.ts';
import { SYSTEM } from '../server/context.ts';
import { createTestServer, type TestServer, uploadImport } from '../server/test-support.ts';
import { importJobsIdle } from './jobs.ts';
import { importFile } from './pipeline.ts';
import { type FieldSource, mergeFacts } from './precedence.ts';
import { miRow as mi, policeRow, type Row, tmp, writeCsv, writeJsonl, writeXlsx } from './test-fixtures.ts';

let ts: TestServer;
let dir: string;
let wuhua: string; // health staff, 五华区 530102
let panlong: string; // health staff, 盘龙区 530103
let wuhuaAdmin: string; // area administrator, 五华区 (may reveal)
let city: string;
let fileNo = 0;

beforeAll(async () => {
  ts = await createTestServer();
  dir = tmp();
  wuhua = await ts.login('staff-health-wuhua');
  panlong = await ts.login('staff-health-panlong');
  wuhuaAdmin = await ts.login('area-admin-wuhua');
  city = await ts.login('city-admin');
}, 120_000);

afterAll(async () => {
  await importJobsIdle();
  // No response body and no log line carried a checksum-valid unmasked ID number.
  expect(ts.leaks).toEqual([]);
  await ts.close();
});

const db = () => ts.deps.db.kysely;
const name = (base: string) => `${base}-${++fileNo}`;

const police = (rows: Row[]) =>
  importFile(ts.deps, SYSTEM, {
    feedId: 'police-hukou',
    file: writeCsv(dir, 'police-hukou', rows, { name: name('police.csv') }),
  });

const miFile = (rows: Row[], file = name('mi.csv')) =>
  writeCsv(dir, 'medical-insurance-enrolment', rows, { name: file });
const importMi = (file: string) =>
  importFile(ts.deps, SYSTEM, { feedId: 'medical-insurance-enrolment', file });

const hf = (
  p: Partial<Row> & { recordId: string; idNumber: string; name: string; birthDate: string },
): Row => ({
  sex: '1',
  employer: '某公司',
  employerCode: '91530100MA6K000001',
  accountStatus: '正常',
  openedDate: '2020-01-01',
  depositBase: 5000,
  depositRate: 0.12,
  monthlyDeposit: 1200,
  phone: null,
  streetCode: '530102001',
  updatedAt: '2025-01-01 10:00:00',
  ...p,
});
const importHf = (rows: Row[]) =>
  importFile(ts.deps, SYSTEM, {
    feedId: 'housing-fund-contributors',
    file: writeJsonl(dir, 'housing-fund-contributors', rows, name('hf.jsonl')),
  });

const ss = (p: Partial<Row> & { cardNo: string; name: string; birthDate: string }): Row => ({
  idNumber: null,
  sex: '女',
  issuedDate: '2020-01-01',
  cardStatus: '正常',
  employment: '就业',
  employer: null,
  pensionScheme: '未参保',
  phone: null,
  address: '社保登记地址1号',
  streetCode: '530102001',
  updatedAt: '2025-01-01 10:00:00',
  ...p,
});
const importSs = async (rows: Row[]) =>
  importFile(ts.deps, SYSTEM, {
    feedId: 'social-security-cards',
    file: await writeXlsx(dir, 'social-security-cards', rows, name('ss.xlsx')),
  });

const cert = (p: Partial<Row> & { certificateNo: string; childName: string; birthDate: string }): Row => ({
  childSex: '男',
  gestationWeeks: 37,
  weightGrams: 2600,
  plurality: '单胎',
  birthOrder: 1,
  hospital: '昆明市妇幼保健院',
  motherName: '母亲',
  motherIdNumber: null,
  fatherName: null,
  fatherIdNumber: null,
  address: '云南省昆明市五华区华山街道某路1号',
  streetCode: '530102001',
  issuedDate: p.birthDate,
  updatedAt: `${p.birthDate} 18:00:00`,
  ...p,
});
const importCerts = async (rows: Row[]) =>
  importFile(ts.deps, SYSTEM, {
    feedId: 'health-birth-certificates',
    file: await writeXlsx(dir, 'health-birth-certificates', rows, name('certs.xlsx')),
  });

async function personIdOf(idNumber: string): Promise<number> {
  const p = await db()
    .selectFrom('person')
    .select('id')
    .where('id_number_bidx', '=', ts.deps.cipher.blindIndex(idNumber))
    .executeTakeFirstOrThrow();
  return Number(p.id);
}

async function linkOf(feed: string, recordId: string) {
  return db()
    .selectFrom('source_record')
    .select(['person_id', 'link_method'])
    .where('feed_id', '=', feed)
    .where('record_id', '=', recordId)
    .executeTakeFirstOrThrow();
}

async function reviewItems(feed: string, recordId: string) {
  return db()
    .selectFrom('review_item')
    .select(['id', 'candidate_person_id', 'area_code', 'status', 'score'])
    .where('feed_id', '=', feed)
    .where('record_id', '=', recordId)
    .orderBy('id')
    .execute();
}

type ReviewJson = {
  id: number;
  recordId: string;
  record: Record<string, string | null>;
  candidate: { id: number };
};
async function queue(cookie: string): Promise<ReviewJson[]> {
  const r = await ts.request({ method: 'GET', url: '/api/v1/registry/reviews?limit=200', cookie });
  expect(r.statusCode).toBe(200);
  return r.json().items;
}

const decide = (cookie: string, id: number, decision: 'same' | 'different') =>
  ts.request({ method: 'POST', url: `/api/v1/registry/reviews/${id}/decision`, cookie, body: { decision } });

type Page = {
  person: { areaCode: string; streetCode: string | null; phoneMasked: string | null };
  fields: Array<{
    field: string;
    value: string | null;
    source: { source: string; feed: string; recordId: string; updatedAt: string; importId: number } | null;
  }>;
  relatives: Array<{ id: number; relation: string }>;
  history: Array<{
    field: string;
    oldValue: string | null;
    newValue: string | null;
    source: string;
    feed: string;
    recordId: string;
  }>;
  conflicts: Array<{ field: string; offeredValue: string | null; source: string; recordId: string }>;
  events: Array<{ recordId: string }>;
  records: Array<{ recordId: string }>;
};
async function page(id: number, cookie = city): Promise<Page> {
  const r = await ts.request({ method: 'GET', url: `/api/v1/registry/persons/${id}`, cookie });
  expect(r.statusCode).toBe(200);
  return r.json();
}
const field = (p: Page, f: string) => p.fields.find((x) => x.field === f)!;

async function audits(action: string, subjectId: number | string, outcome?: string) {
  let q = db()
    .selectFrom('audit_log')
    .select(['outcome', 'details', 'actor_area'])
    .where('action', '=', action)
    .where('subject_id', '=', String(subjectId));
  if (outcome) q = q.where('outcome', '=', outcome);
  return q.execute();
}

const wrongCheck = (id: string) =>
  id.slice(0, 17) + '0123456789X'.replace(checkCharacter(id.slice(0, 17)), '')[0];

// --- 1. linkage ----------------------------------------------------------------------------

describe('linkage of records without a usable ID number', () => {
  const mother = policeRow({ name: '陈静', sex: 'female', birth: '1993-03-03' });
  const twinA = policeRow({ name: '王子涵', birth: '2023-06-01', household: '300000001', relation: '20' });
  const twinB = policeRow({ name: '王子轩', birth: '2023-06-01', household: '300000001', relation: '20' });
  const zhangA = policeRow({ name: '张伟', birth: '1990-05-05', street: '530102001' });
  const zhangB = policeRow({ name: '张伟', birth: '1990-05-05', street: '530103001' });
  const lin = policeRow({ name: '林晓', sex: 'female', birth: '1995-09-09' });
  const zhang3 = (updatedAt: string) =>
    mi({
      recordId: 'YB-ZW-3',
      name: '张伟',
      birthDate: '1990-05-05',
      streetCode: '530111001',
      countyCode: '530111',
      updatedAt,
    });

  beforeAll(async () => {
    const r = await police([mother, twinA, twinB, zhangA, zhangB, lin]);
    expect(r).toMatchObject({ accepted: 6, personsCreated: 6 });
  });

  it('links a twin by her exact name, never her sibling; a misspelt twin is neither linked nor guessed', async () => {
    const r = await importMi(
      miFile([
        mi({ recordId: 'YB-TW-1', name: '王子涵', birthDate: '2023-06-01' }),
        mi({ recordId: 'YB-TW-2', name: '王子轩', birthDate: '2023-06-01' }),
        mi({ recordId: 'YB-TW-3', name: '王子寒', birthDate: '2023-06-01' }),
      ]),
    );
    expect(r).toMatchObject({ accepted: 3, queuedForReview: 0 });
    expect(r.linked).toMatchObject({ byMatch: 2, unlinked: 1 });
    expect((await linkOf('medical-insurance-enrolment', 'YB-TW-1')).person_id).toBe(
      await personIdOf(twinA.idNumber),
    );
    expect((await linkOf('medical-insurance-enrolment', 'YB-TW-2')).person_id).toBe(
      await personIdOf(twinB.idNumber),
    );
    expect((await linkOf('medical-insurance-enrolment', 'YB-TW-3')).person_id).toBeNull();
    expect(await reviewItems('medical-insurance-enrolment', 'YB-TW-3')).toEqual([]);
  });

  it('links each twin’s birth certificate to its own child and the mother; unregistered twins stay apart', async () => {
    const motherId = String(mother.idNumber);
    const r = await importCerts([
      cert({
        certificateNo: 'W100000001',
        childName: '王子涵',
        birthDate: '2023-06-01',
        plurality: '双胎',
        motherName: '陈静',
        motherIdNumber: motherId,
      }),
      cert({
        certificateNo: 'W100000002',
        childName: '王子轩',
        birthDate: '2023-06-01',
        plurality: '双胎',
        birthOrder: 2,
        motherName: '陈静',
        motherIdNumber: motherId,
      }),
      // Twins nobody registered yet: no person is made from a certificate, none is merged.
      cert({
        certificateNo: 'W100000003',
        childName: '赵一诺',
        birthDate: '2024-02-02',
        plurality: '双胎',
        motherName: '陈静',
        motherIdNumber: motherId,
      }),
      cert({
        certificateNo: 'W100000004',
        childName: '赵一言',
        birthDate: '2024-02-02',
        plurality: '双胎',
        birthOrder: 2,
        motherName: '陈静',
        motherIdNumber: motherId,
      }),
    ]);
    expect(r).toMatchObject({ accepted: 4, queuedForReview: 0, personsCreated: 0 });
    expect(r.linked).toMatchObject({ byMatch: 2, unlinked: 2 });
    const a = await personIdOf(twinA.idNumber);
    const b = await personIdOf(twinB.idNumber);
    expect((await linkOf('health-birth-certificates', 'W100000001')).person_id).toBe(a);
    expect((await linkOf('health-birth-certificates', 'W100000002')).person_id).toBe(b);
    const kids = await db()
      .selectFrom('person')
      .select(['id', 'mother_id'])
      .where('id', 'in', [a, b])
      .execute();
    expect(new Set(kids.map((k) => k.mother_id))).toEqual(new Set([await personIdOf(mother.idNumber)]));
    const born = await db()
      .selectFrom('person')
      .select('id')
      .where('birth_date', '=', '2024-02-02')
      .execute();
    expect(born).toEqual([]);
  });

  it('a name typo without ID number stays unlinked (score below review), a homophone typo is reviewed, the exact name links', async () => {
    const r = await importMi(
      miFile([
        mi({ recordId: 'YB-LX-1', name: '林晓', sex: '2', birthDate: '1995-09-09' }),
        // 霞 xia for 晓 xiao: one character off, not the same sound (30 + sex + street = 55).
        mi({ recordId: 'YB-LX-2', name: '林霞', sex: '2', birthDate: '1995-09-09' }),
        // 小 for 晓, both xiao: the same sound (40 + sex + street = 65), no mother to confirm it.
        mi({ recordId: 'YB-LX-3', name: '林小', sex: '2', birthDate: '1995-09-09' }),
      ]),
    );
    expect(r.linked).toMatchObject({ byMatch: 1, unlinked: 2 });
    expect(r.queuedForReview).toBe(1);
    expect((await linkOf('medical-insurance-enrolment', 'YB-LX-1')).person_id).toBe(
      await personIdOf(lin.idNumber),
    );
    expect((await linkOf('medical-insurance-enrolment', 'YB-LX-2')).person_id).toBeNull();
    expect((await linkOf('medical-insurance-enrolment', 'YB-LX-3')).person_id).toBeNull();
    const items = await reviewItems('medical-insurance-enrolment', 'YB-LX-3');
    expect(items.map((i) => i.candidate_person_id)).toEqual([await personIdOf(lin.idNumber)]);
  });

  it('rejects an ID number with a wrong check character (not fuzzy-linked), masked in the rejects', async () => {
    const bad = wrongCheck(String(lin.idNumber));
    const r = await importMi(
      miFile([mi({ recordId: 'YB-BAD-1', idNumber: bad, name: '林晓', sex: '2', birthDate: '1995-09-09' })]),
    );
    expect(r).toMatchObject({ rejected: 1, accepted: 0, rejectsByReason: { 'id.checksum': 1 } });
    const rej = await db()
      .selectFrom('import_reject')
      .select('row_values')
      .where('import_id', '=', r.importId!)
      .executeTakeFirstOrThrow();
    const values = rej.row_values as Record<string, string>;
    expect(values.idNumber).not.toBe(bad);
    expect(values.idNumber).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/);
  });

  it('two people with one name and birth date in two areas: the street decides, else each area reviews its own', async () => {
    const file = miFile([
      mi({
        recordId: 'YB-ZW-1',
        name: '张伟',
        birthDate: '1990-05-05',
        streetCode: '530103001',
        countyCode: '530103',
      }),
      zhang3('2025-01-01 10:00:00'),
    ]);
    const r = await importMi(file);
    expect(r).toMatchObject({ accepted: 2, queuedForReview: 1 });
    expect((await linkOf('medical-insurance-enrolment', 'YB-ZW-1')).person_id).toBe(
      await personIdOf(zhangB.idNumber),
    );
    const items = await reviewItems('medical-insurance-enrolment', 'YB-ZW-3');
    expect(items.map((i) => [i.candidate_person_id, i.area_code])).toEqual([
      [await personIdOf(zhangA.idNumber), '530102'],
      [await personIdOf(zhangB.idNumber), '530103'],
    ]);
    const mine = (await queue(wuhua)).filter((i) => i.recordId === 'YB-ZW-3');
    const theirs = (await queue(panlong)).filter((i) => i.recordId === 'YB-ZW-3');
    expect(mine.map((i) => i.candidate.id)).toEqual([await personIdOf(zhangA.idNumber)]);
    expect(theirs.map((i) => i.candidate.id)).toEqual([await personIdOf(zhangB.idNumber)]);
    // Another area's item can be neither decided nor seen.
    expect((await decide(wuhua, theirs[0].id, 'same')).statusCode).toBe(404);
    expect((await decide(wuhua, mine[0].id, 'different')).statusCode).toBe(200);
    expect((await decide(panlong, theirs[0].id, 'same')).statusCode).toBe(200);
    expect((await linkOf('medical-insurance-enrolment', 'YB-ZW-3')).person_id).toBe(
      await personIdOf(zhangB.idNumber),
    );

    // The same file again: nothing asked again.
    const again = await importMi(file);
    expect(again).toMatchObject({ alreadyImported: true, queuedForReview: 0 });
    // The same record in another file, same time: unchanged.
    const same = await importMi(miFile([zhang3('2025-01-01 10:00:00')]));
    expect(same).toMatchObject({ unchanged: 1, queuedForReview: 0 });
    // A newer version: linked by the remembered decision, not queued.
    const newer = await importMi(miFile([zhang3('2025-04-01 10:00:00')]));
    expect(newer).toMatchObject({ updated: 1, queuedForReview: 0 });
    expect(newer.linked.byReview).toBe(1);
    expect((await reviewItems('medical-insurance-enrolment', 'YB-ZW-3')).map((i) => i.status)).toEqual([
      'different',
      'same',
    ]);
  });

  it('keeps "different" for good: a newer version is neither linked nor queued', async () => {
    const p = policeRow({ name: '周洁', sex: 'female', birth: '1991-07-07' });
    await police([p]);
    const rec = (updatedAt: string) =>
      mi({
        recordId: 'YB-ZJ-1',
        name: '周洁',
        sex: '2',
        birthDate: '1991-07-07',
        streetCode: '530102009',
        updatedAt,
      });
    expect(await importMi(miFile([rec('2025-01-01 10:00:00')]))).toMatchObject({ queuedForReview: 1 });
    const item = (await queue(wuhua)).find((i) => i.recordId === 'YB-ZJ-1')!;
    expect((await decide(wuhua, item.id, 'different')).statusCode).toBe(200);
    const newer = await importMi(miFile([rec('2025-05-01 10:00:00')]));
    expect(newer).toMatchObject({ updated: 1, queuedForReview: 0 });
    expect(newer.linked.unlinked).toBe(1);
    expect((await linkOf('medical-insurance-enrolment', 'YB-ZJ-1')).person_id).toBeNull();
  });

  it('a record waiting for review whose newer version links by itself leaves the queue', async () => {
    const p = policeRow({ name: '冯远', birth: '1984-04-14' });
    await police([p]);
    const rec = (streetCode: string, updatedAt: string) =>
      mi({ recordId: 'YB-FY-1', name: '冯远', birthDate: '1984-04-14', streetCode, updatedAt });
    expect(await importMi(miFile([rec('530102009', '2025-01-01 10:00:00')]))).toMatchObject({
      queuedForReview: 1,
    });
    expect((await queue(wuhua)).map((i) => i.recordId)).toContain('YB-FY-1');
    // The department corrects the street: now a confident match.
    const newer = await importMi(miFile([rec('530102001', '2025-02-01 10:00:00')]));
    expect(newer.linked.byMatch).toBe(1);
    expect((await linkOf('medical-insurance-enrolment', 'YB-FY-1')).person_id).toBe(
      await personIdOf(p.idNumber),
    );
    expect((await queue(wuhua)).map((i) => i.recordId)).not.toContain('YB-FY-1');
  });

  it('an open review item follows its candidate who moves to another area', async () => {
    const p = policeRow({ name: '吴桐', birth: '1983-08-08', updatedAt: '20250101120000' });
    await police([p]);
    await importMi(
      miFile([mi({ recordId: 'YB-WT-1', name: '吴桐', birthDate: '1983-08-08', streetCode: '530102009' })]),
    );
    const item = (await queue(wuhua)).find((i) => i.recordId === 'YB-WT-1')!;
    expect(item).toBeDefined();
    // Police: moved to 盘龙区.
    await police([
      {
        ...p,
        streetCode: '530103001',
        hukouStreet: '530103001',
        hukouCounty: '530103',
        updatedAt: '20250201120000',
      },
    ]);
    expect((await queue(wuhua)).map((i) => i.recordId)).not.toContain('YB-WT-1');
    expect((await queue(panlong)).map((i) => i.recordId)).toContain('YB-WT-1');
    expect((await decide(wuhua, item.id, 'same')).statusCode).toBe(404);
    expect((await decide(panlong, item.id, 'same')).statusCode).toBe(200);
  });

  it('a remembered "same" holds after the person’s surname changed (no longer a candidate)', async () => {
    const p = policeRow({ name: '李雷', birth: '2000-01-01', updatedAt: '20250101120000' });
    await police([p]);
    const rec = (updatedAt: string) =>
      mi({ recordId: 'YB-LL-1', name: '李雷', birthDate: '2000-01-01', streetCode: '530102009', updatedAt });
    expect(await importMi(miFile([rec('2025-01-01 10:00:00')]))).toMatchObject({ queuedForReview: 1 });
    const item = (await queue(wuhua)).find((i) => i.recordId === 'YB-LL-1')!;
    expect((await decide(wuhua, item.id, 'same')).statusCode).toBe(200);
    // Police registers a new name (another surname).
    await police([{ ...p, name: '王雷', updatedAt: '20250301120000' }]);
    const newer = await importMi(miFile([rec('2025-06-01 10:00:00')]));
    expect(newer).toMatchObject({ updated: 1, queuedForReview: 0 });
    expect(newer.linked).toMatchObject({ byReview: 1, unlinked: 0 });
    expect((await linkOf('medical-insurance-enrolment', 'YB-LL-1')).person_id).toBe(
      await personIdOf(p.idNumber),
    );
  });
});

// --- 2. review decisions merge like an import ---------------------------------------------

describe('a "same" decision merges the record as an import would', () => {
  it('a newer version of a record still in review replaces the values staff decide on', async () => {
    const id = makeIdNumber('530102', '1985-02-02', 41);
    await importHf([
      hf({ recordId: 'GJJ-HM-1', idNumber: id, name: '韩梅', sex: '2', birthDate: '1985-02-02' }),
    ]);
    const rec = (streetCode: string, updatedAt: string) =>
      mi({ recordId: 'YB-HM-1', name: '韩梅', sex: '2', birthDate: '1985-02-02', streetCode, updatedAt });
    expect(await importMi(miFile([rec('530102002', '2025-01-01 10:00:00')]))).toMatchObject({
      queuedForReview: 1,
    });
    expect(await importMi(miFile([rec('530102003', '2025-02-01 10:00:00')]))).toMatchObject({ updated: 1 });
    const items = (await queue(wuhua)).filter((i) => i.recordId === 'YB-HM-1');
    expect(items.length).toBe(1);
    expect(items[0].record.streetCode).toBe('530102003');
    expect(items[0].record.updatedAt).toBe('2025-02-01 10:00:00');
    expect((await decide(wuhua, items[0].id, 'same')).json().fieldsChanged).toBeGreaterThan(0);
    const pg = await page(await personIdOf(id));
    // Medical insurance outranks the housing fund for the street: the newer record's street.
    expect(field(pg, 'street_code')).toMatchObject({
      value: '530102003',
      source: { source: 'medical-insurance', recordId: 'YB-HM-1', updatedAt: '2025-02-01 10:00:00' },
    });
  });

  it('a newer version that no longer matches anyone leaves the queue (no stale item to decide on)', async () => {
    await police([policeRow({ name: '冯远航', birth: '1979-11-23' })]);
    const rec = (birthDate: string, updatedAt: string) =>
      mi({ recordId: 'YB-FYH-1', name: '冯远航', birthDate, streetCode: '530102009', updatedAt });
    expect(await importMi(miFile([rec('1979-11-23', '2025-01-01 10:00:00')]))).toMatchObject({
      queuedForReview: 1,
    });
    // The corrected birth date makes it nobody's candidate.
    expect(await importMi(miFile([rec('1990-09-09', '2025-02-01 10:00:00')]))).toMatchObject({
      updated: 1,
      queuedForReview: 0,
    });
    expect((await queue(wuhua)).filter((i) => i.recordId === 'YB-FYH-1')).toEqual([]);
  });

  it('writes the field history and the conflicts, and the area follows the street', async () => {
    const id = makeIdNumber('530102', '1986-03-03', 43);
    await importHf([hf({ recordId: 'GJJ-MQ-1', idNumber: id, name: '马青', birthDate: '1986-03-03' })]);
    const pid = await personIdOf(id);
    // Moved to 盘龙区 according to medical insurance (which outranks the housing fund for the street).
    const r = await importMi(
      miFile([
        mi({
          recordId: 'YB-MQ-1',
          name: '马青',
          birthDate: '1986-03-03',
          streetCode: '530103002',
          countyCode: '530103',
        }),
      ]),
    );
    expect(r.queuedForReview).toBe(1);
    const item = (await queue(wuhua)).find((i) => i.recordId === 'YB-MQ-1')!;
    const d = await decide(wuhua, item.id, 'same');
    expect(d.json()).toMatchObject({ status: 'same', fieldsChanged: 1 });
    const pg = await page(pid);
    expect(pg.person).toMatchObject({ streetCode: '530103002', areaCode: '530103' });
    expect(pg.history).toContainEqual(
      expect.objectContaining({
        field: 'street_code',
        oldValue: '530102001',
        newValue: '530103002',
        source: 'medical-insurance',
        recordId: 'YB-MQ-1',
      }),
    );
    // Now a person of 盘龙区: its staff see it, 五华区's no longer.
    expect(
      (await ts.request({ method: 'GET', url: `/api/v1/registry/persons/${pid}`, cookie: panlong }))
        .statusCode,
    ).toBe(200);
    expect(
      (await ts.request({ method: 'GET', url: `/api/v1/registry/persons/${pid}`, cookie: wuhua })).statusCode,
    ).toBe(404);

    // A lower source's different value decided "same" is kept as an open conflict.
    const p2 = policeRow({ name: '宋佳', sex: 'female', birth: '1987-04-04' });
    await police([p2]);
    await importMi(
      miFile([
        mi({ recordId: 'YB-SJ-1', name: '宋佳', sex: '2', birthDate: '1987-04-04', streetCode: '530102005' }),
      ]),
    );
    const item2 = (await queue(wuhua)).find((i) => i.recordId === 'YB-SJ-1')!;
    expect((await decide(wuhua, item2.id, 'same')).json().fieldsChanged).toBe(0);
    const pg2 = await page(await personIdOf(p2.idNumber));
    expect(pg2.conflicts).toContainEqual(
      expect.objectContaining({
        field: 'street_code',
        offeredValue: '530102005',
        source: 'medical-insurance',
        recordId: 'YB-SJ-1',
      }),
    );
  });

  it('a birth certificate decided "same" links the child to its mother', async () => {
    const mother = policeRow({ name: '刘芳', sex: 'female', birth: '1994-04-04' });
    const child = policeRow({ name: '孙小北', birth: '2024-03-03', street: '530102001' });
    await police([mother, child]);
    const r = await importCerts([
      cert({
        certificateNo: 'W200000001',
        childName: '孙小北',
        birthDate: '2024-03-03',
        motherName: '刘芳',
        motherIdNumber: String(mother.idNumber),
        streetCode: '530102004',
      }),
    ]);
    expect(r.queuedForReview).toBe(1);
    const item = (await queue(wuhua)).find((i) => i.recordId === 'W200000001')!;
    // The mother's ID number is masked in the queue.
    expect(item.record.motherIdNumber).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/);
    expect((await decide(wuhua, item.id, 'same')).statusCode).toBe(200);
    const pg = await page(await personIdOf(child.idNumber));
    expect(field(pg, 'mother_id')).toMatchObject({
      value: String(await personIdOf(mother.idNumber)),
      source: { source: 'health', feed: 'health-birth-certificates', recordId: 'W200000001' },
    });
    expect(pg.relatives).toContainEqual(
      expect.objectContaining({ relation: 'mother', id: await personIdOf(mother.idNumber) }),
    );
  });
  it('a birth certificate decided "same" also links the father the import would have linked', async () => {
    const mother = policeRow({ name: '邓丽', sex: 'female', birth: '1993-05-05' });
    const father = policeRow({ name: '钱军', birth: '1991-06-06' });
    const child = policeRow({ name: '钱小南', birth: '2024-05-05', street: '530102001' });
    await police([mother, father, child]);
    const r = await importCerts([
      cert({
        certificateNo: 'W200000002',
        childName: '钱小南',
        birthDate: '2024-05-05',
        motherName: '邓丽',
        motherIdNumber: String(mother.idNumber),
        fatherName: '钱军',
        fatherIdNumber: String(father.idNumber),
        streetCode: '530102004',
      }),
    ]);
    expect(r.queuedForReview).toBe(1);
    const item = (await queue(wuhua)).find((i) => i.recordId === 'W200000002')!;
    expect(item.record.fatherIdNumber).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/);
    expect((await decide(wuhua, item.id, 'same')).json().fieldsChanged).toBe(2);
    const pg = await page(await personIdOf(child.idNumber));
    const certificate = { source: 'health', feed: 'health-birth-certificates', recordId: 'W200000002' };
    expect(field(pg, 'mother_id')).toMatchObject({
      value: String(await personIdOf(mother.idNumber)),
      source: certificate,
    });
    expect(field(pg, 'father_id')).toMatchObject({
      value: String(await personIdOf(father.idNumber)),
      source: certificate,
    });
    expect(pg.relatives).toContainEqual(
      expect.objectContaining({ relation: 'father', id: await personIdOf(father.idNumber) }),
    );
    expect(pg.history.map((h) => h.field).sort()).toEqual(['father_id', 'mother_id']);
  });

  it('a newer certificate naming an unregistered mother: "same" links no mother (not the older version’s)', async () => {
    const mother = policeRow({ name: '韦娟', sex: 'female', birth: '1992-02-12' });
    const child = policeRow({ name: '韦小东', birth: '2024-06-06', street: '530102001' });
    await police([mother, child]);
    const v1 = cert({
      certificateNo: 'W200000003',
      childName: '韦小东',
      birthDate: '2024-06-06',
      motherName: '韦娟',
      motherIdNumber: String(mother.idNumber),
      streetCode: '530102004',
    });
    expect((await importCerts([v1])).queuedForReview).toBe(1);
    // The corrected version names another mother, one the registry does not know.
    const unknownMother = makeIdNumber('530102', '1993-03-13', 77);
    const v2 = {
      ...v1,
      motherName: '韦娟娟',
      motherIdNumber: unknownMother,
      updatedAt: '2024-06-20 09:00:00',
    };
    expect((await importCerts([v2])).queuedForReview).toBe(1);
    const item = (await queue(wuhua)).find((i) => i.recordId === 'W200000003')!;
    expect((await decide(wuhua, item.id, 'same')).statusCode).toBe(200);
    const pg = await page(await personIdOf(child.idNumber));
    expect(field(pg, 'mother_id')?.value ?? null).toBeNull();
    expect(pg.relatives).not.toContainEqual(expect.objectContaining({ relation: 'mother' }));
  });

  it('the phone of a record decided "same" is merged as an import merges it (masked in the history)', async () => {
    const id = makeIdNumber('530102', '1988-08-18', 45);
    await importHf([
      hf({ recordId: 'GJJ-YL-1', idNumber: id, name: '杨柳', sex: '2', birthDate: '1988-08-18' }),
    ]);
    await importMi(
      miFile([
        mi({
          recordId: 'YB-YL-1',
          name: '杨柳',
          sex: '2',
          birthDate: '1988-08-18',
          streetCode: '530102002',
          phone: '13987654321',
        }),
      ]),
    );
    const item = (await queue(wuhua)).find((i) => i.recordId === 'YB-YL-1')!;
    expect(item.record.phone).toBe('139****4321');
    expect((await decide(wuhua, item.id, 'same')).json().fieldsChanged).toBe(2);
    const pid = await personIdOf(id);
    const pg = await page(pid);
    expect(pg.person.phoneMasked).toBe('139****4321');
    expect(field(pg, 'phone')).toMatchObject({
      value: '139****4321',
      source: { source: 'medical-insurance', recordId: 'YB-YL-1' },
    });
    expect(pg.history).toContainEqual(
      expect.objectContaining({
        field: 'phone',
        oldValue: null,
        newValue: '139****4321',
        recordId: 'YB-YL-1',
      }),
    );
    const stored = await db()
      .selectFrom('person')
      .select(['phone_enc', 'field_sources'])
      .where('id', '=', pid)
      .executeTakeFirstOrThrow();
    expect(ts.deps.cipher.decrypt(String(stored.phone_enc))).toBe('13987654321');
    // The phone's blind index is its provenance's value: the same number imported again is no change.
    expect((stored.field_sources as { p?: string }).p).toBe(ts.deps.cipher.blindIndex('phone:13987654321'));
  });
});

// --- 3. precedence and provenance -------------------------------------------------------------

describe('source precedence and provenance', () => {
  const origin = (source: string, at: string, record = `${source}-${at}`) => ({
    source,
    feed: `${source}-feed`,
    record,
    at,
    import: 1,
  });

  it('keeps the phone’s blind index when a higher source confirms the number', () => {
    const cur: Record<string, string | null> = {};
    const src: Record<string, FieldSource> = {};
    mergeFacts(cur, src, { phone: 'IDX1' }, origin('social-security', '2025-03-01 00:00:00'));
    src.phone = { ...src.phone, value: 'IDX1' }; // as the pipeline stores it
    const r = mergeFacts(cur, src, { phone: 'IDX1' }, origin('police', '2025-04-01 00:00:00'));
    expect(r.provenanceOnly).toBe(true);
    expect(src.phone).toMatchObject({ source: 'police', value: 'IDX1' });
  });

  it('a newer record of the same source confirming a value becomes its provenance', () => {
    const cur: Record<string, string | null> = {};
    const src: Record<string, FieldSource> = {};
    mergeFacts(cur, src, { address: '甲路1号' }, origin('police', '2025-01-01 00:00:00', 'R1'));
    const r = mergeFacts(cur, src, { address: '甲路1号' }, origin('police', '2025-06-01 00:00:00', 'R2'));
    expect(r).toMatchObject({ changes: [], conflicts: [], provenanceOnly: true });
    expect(src.address).toMatchObject({ record: 'R2', at: '2025-06-01 00:00:00' });
    // An older one does not.
    mergeFacts(cur, src, { address: '甲路1号' }, origin('police', '2024-06-01 00:00:00', 'R0'));
    expect(src.address).toMatchObject({ record: 'R2' });
  });

  it('address and phone from two sources: police wins the address, the phone follows its precedence, pages show feed and time', async () => {
    const p = policeRow({
      name: '赵敏',
      sex: 'female',
      birth: '1992-05-05',
      updatedAt: '20250101120000',
      address: '警方登记地址8号',
    });
    await police([p]);
    const pid = await personIdOf(p.idNumber);
    // Social security, newer, another address and a phone: the address is police's (a conflict), the phone is set.
    const s1 = await importSs([
      ss({
        cardNo: 'SB0000001',
        idNumber: p.idNumber,
        name: '赵敏',
        birthDate: '1992-05-05',
        phone: '13912340000',
        address: '社保地址9号',
        updatedAt: '2025-03-01 10:00:00',
      }),
    ]);
    expect(s1.conflicts).toBe(1);
    let pg = await page(pid);
    expect(field(pg, 'address')).toMatchObject({
      value: '警方登记地址8号',
      source: { source: 'police', feed: 'police-hukou', updatedAt: '2025-01-01 12:00:00' },
    });
    expect(field(pg, 'phone')).toMatchObject({
      value: '139****0000',
      source: {
        source: 'social-security',
        feed: 'social-security-cards',
        recordId: 'SB0000001',
        updatedAt: '2025-03-01 10:00:00',
      },
    });
    expect(pg.conflicts).toContainEqual(
      expect.objectContaining({ field: 'address', offeredValue: '社保地址9号', source: 'social-security' }),
    );

    // Police confirms the same phone (provenance moves to police, no change).
    const p2 = await police([{ ...p, phone: '13912340000', updatedAt: '20250401120000' }]);
    expect(p2).toMatchObject({ updated: 1, fieldChanges: 0, conflicts: 0 });
    pg = await page(pid);
    expect(field(pg, 'phone').source).toMatchObject({ source: 'police', updatedAt: '2025-04-01 12:00:00' });
    // …and the address's provenance is the newer police record that confirmed it.
    expect(field(pg, 'address').source).toMatchObject({ source: 'police', updatedAt: '2025-04-01 12:00:00' });

    // Medical insurance with that same phone: agreement, no conflict.
    const m = await importMi(
      miFile([
        mi({
          recordId: 'YB-ZM-1',
          idNumber: p.idNumber,
          name: '赵敏',
          sex: '2',
          birthDate: '1992-05-05',
          phone: '13912340000',
        }),
      ]),
    );
    expect(m.conflicts).toBe(0);
    // Police again, newer, same phone: nothing changed, no history row.
    const p3 = await police([{ ...p, phone: '13912340000', updatedAt: '20250501120000' }]);
    expect(p3.fieldChanges).toBe(0);
    pg = await page(pid);
    expect(pg.conflicts.filter((c) => c.field === 'phone')).toEqual([]);
    expect(pg.history.filter((h) => h.field === 'phone').length).toBe(1);

    // A newer police record with a new address and phone: applied, with history (phones masked).
    const p4 = await police([
      { ...p, phone: '13712345678', address: '新地址66号', updatedAt: '20250701120000' },
    ]);
    expect(p4.fieldChanges).toBe(2);
    pg = await page(pid);
    expect(field(pg, 'address')).toMatchObject({
      value: '新地址66号',
      source: { updatedAt: '2025-07-01 12:00:00' },
    });
    expect(pg.person.phoneMasked).toBe('137****5678');
    expect(pg.history).toContainEqual(
      expect.objectContaining({
        field: 'address',
        oldValue: '警方登记地址8号',
        newValue: '新地址66号',
        source: 'police',
      }),
    );
    const ph = pg.history.find((h) => h.field === 'phone' && h.source === 'police')!;
    expect(ph.newValue).toBe('137****5678');
    expect(JSON.stringify(pg)).not.toContain('13712345678');
  });

  it('opens the page of a person without a household number', async () => {
    const id = makeIdNumber('530102', '1977-07-07', 45);
    await importHf([hf({ recordId: 'GJJ-NH-1', idNumber: id, name: '郑和', birthDate: '1977-07-07' })]);
    const pg = await page(await personIdOf(id));
    expect(field(pg, 'name').source).toMatchObject({ source: 'housing-fund', recordId: 'GJJ-NH-1' });
    expect(pg.relatives).toEqual([]);
  });

  it('never shows a blind index as a record id on the person page', async () => {
    const p = policeRow({ name: '钱多', birth: '1979-09-09' });
    await police([p]);
    const pg = await page(await personIdOf(p.idNumber));
    const ids = [
      ...pg.fields.flatMap((f) => (f.source ? [f.source.recordId] : [])),
      ...pg.history.map((h) => h.recordId),
      ...pg.conflicts.map((c) => c.recordId),
      ...pg.events.map((e) => e.recordId),
      ...pg.records.map((r) => r.recordId),
    ];
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((x) => x.startsWith('bidx:'))).toEqual([]);
  });
});

// --- 4. scope, audit, masking -----------------------------------------------------------------

describe('scope and audit', () => {
  const mother = policeRow({ name: '何丽', sex: 'female', birth: '1990-10-10', street: '530102001' });
  const child = policeRow({ name: '何小宝', birth: '2022-02-02', street: '530103001' });
  let motherId = 0;
  let childId = 0;

  beforeAll(async () => {
    await police([mother, child]);
    // The child lives in 盘龙区; its birth certificate names the mother of 五华区.
    const r = await importCerts([
      cert({
        certificateNo: 'W300000001',
        childName: '何小宝',
        birthDate: '2022-02-02',
        motherName: '何丽',
        motherIdNumber: String(mother.idNumber),
        streetCode: '530103001',
      }),
    ]);
    expect(r.linked.byMatch).toBe(1);
    motherId = await personIdOf(mother.idNumber);
    childId = await personIdOf(child.idNumber);
  });

  it('search, person page and reads are confined to the area; every search and view is audited', async () => {
    const s = await ts.request({
      method: 'POST',
      url: '/api/v1/registry/search',
      cookie: wuhua,
      body: { name: '何' },
    });
    expect(s.json().persons.map((p: { id: number }) => p.id)).toEqual([motherId]);
    const masked = `${String(child.idNumber).slice(0, 4)}**********${String(child.idNumber).slice(-4)}`;
    const s2 = await ts.request({
      method: 'POST',
      url: '/api/v1/registry/search',
      cookie: wuhua,
      body: { idNumberMasked: masked },
    });
    expect(s2.json().persons.map((p: { id: number }) => p.id)).not.toContain(childId);
    const s3 = await ts.request({
      method: 'POST',
      url: '/api/v1/registry/search',
      cookie: panlong,
      body: { idNumber: child.idNumber },
    });
    expect(
      s3.json().persons.map((p: { id: number; idNumberMasked: string }) => [p.id, p.idNumberMasked]),
    ).toEqual([[childId, masked]]);
    const searches = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'person.search')
      .execute();
    expect(searches.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(searches)).not.toContain(String(child.idNumber));

    for (const url of [`/api/v1/registry/persons/${childId}`, `/api/v1/persons/${childId}`]) {
      expect((await ts.request({ method: 'GET', url, cookie: wuhua })).statusCode).toBe(404);
      expect((await ts.request({ method: 'GET', url, cookie: panlong })).statusCode).toBe(200);
    }
    expect(await audits('registry.person_read', childId, 'success')).toHaveLength(1);
    expect(await audits('person.read', childId, 'success')).toHaveLength(1);
  });

  it('a denied view of another area’s person is audited', async () => {
    const before = (await audits('registry.person_read', childId, 'denied')).length;
    expect(
      (await ts.request({ method: 'GET', url: `/api/v1/registry/persons/${childId}`, cookie: wuhua }))
        .statusCode,
    ).toBe(404);
    expect(await audits('registry.person_read', childId, 'denied')).toHaveLength(before + 1);
    const before2 = (await audits('person.read', childId, 'denied')).length;
    expect(
      (await ts.request({ method: 'GET', url: `/api/v1/persons/${childId}`, cookie: wuhua })).statusCode,
    ).toBe(404);
    expect(await audits('person.read', childId, 'denied')).toHaveLength(before2 + 1);
  });

  it('the person page shows no relative living in another area', async () => {
    const cityView = await page(motherId, city);
    expect(cityView.relatives).toContainEqual(expect.objectContaining({ id: childId, relation: 'child' }));
    const own = await page(motherId, wuhua);
    expect(own.relatives.map((r) => r.id)).not.toContain(childId);
    const theirs = await page(childId, panlong);
    expect(theirs.relatives.map((r) => r.id)).not.toContain(motherId);
  });

  it('a reveal needs a reason and the person in scope; every attempt is audited', async () => {
    const ok = await ts.request({
      method: 'POST',
      url: `/api/v1/persons/${motherId}/reveal`,
      cookie: wuhuaAdmin,
      body: { reason: '核对生育登记材料' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().idNumber).toBe(mother.idNumber);
    expect(await audits('person.reveal_id', motherId, 'success')).toEqual([
      expect.objectContaining({ details: { reason: '核对生育登记材料' } }),
    ]);
    const blank = await ts.request({
      method: 'POST',
      url: `/api/v1/persons/${motherId}/reveal`,
      cookie: wuhuaAdmin,
      body: { reason: '    ' },
    });
    expect(blank.json().code).toBe('person.reveal_reason_required');
    expect(await audits('person.reveal_id', motherId, 'denied')).toHaveLength(1);
    const other = await ts.request({
      method: 'POST',
      url: `/api/v1/persons/${childId}/reveal`,
      cookie: wuhuaAdmin,
      body: { reason: '核对生育登记材料' },
    });
    expect(other.statusCode).toBe(404);
    expect(await audits('person.reveal_id', childId, 'denied')).toHaveLength(1);
    // Staff may not reveal at all.
    expect(
      (
        await ts.request({
          method: 'POST',
          url: `/api/v1/persons/${motherId}/reveal`,
          cookie: wuhua,
          body: { reason: '核对生育登记材料' },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('searches by street code within the area', async () => {
    const s = await ts.request({
      method: 'POST',
      url: '/api/v1/registry/search',
      cookie: panlong,
      body: { areaCode: '530103001', limit: 200 },
    });
    expect(s.statusCode).toBe(200);
    const found = s.json().persons as Array<{ id: number; streetCode: string }>;
    expect(found.map((p) => p.id)).toContain(childId);
    expect(found.every((p) => p.streetCode === '530103001')).toBe(true);
    const none = await ts.request({
      method: 'POST',
      url: '/api/v1/registry/search',
      cookie: wuhua,
      body: { areaCode: '530103001' },
    });
    expect(none.json().persons).toEqual([]);
  });

  it('quality rows, review items and uploads with their rejects stay within the area; no full ID anywhere', async () => {
    const q = await ts.request({ method: 'GET', url: '/api/v1/registry/quality', cookie: wuhua });
    expect(q.statusCode).toBe(200);
    const rows = [...q.json().latest, ...q.json().trend] as Array<{ areaCode: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.areaCode === '530102')).toBe(true);
    const q2 = await ts.request({
      method: 'GET',
      url: '/api/v1/registry/quality?areaCode=530103',
      cookie: wuhua,
    });
    expect(q2.json()).toEqual({ latest: [], trend: [] });
    for (const i of await queue(wuhua)) {
      const item = await db()
        .selectFrom('review_item')
        .select('area_code')
        .where('id', '=', i.id)
        .executeTakeFirstOrThrow();
      expect(item.area_code).toBe('530102');
    }

    // A health upload of 五华区 with a wrong-checksum mother ID and a record of 盘龙区.
    const goodMother = String(mother.idNumber);
    const f = await writeXlsx(
      dir,
      'health-birth-certificates',
      [
        cert({
          certificateNo: 'W400000001',
          childName: '何二宝',
          birthDate: '2025-01-05',
          motherName: '何丽',
          motherIdNumber: wrongCheck(goodMother),
        }),
        cert({
          certificateNo: 'W400000002',
          childName: '何三宝',
          birthDate: '2025-01-06',
          motherName: '何丽',
          motherIdNumber: goodMother,
          streetCode: '530103001',
        }),
      ],
      name('upload.xlsx'),
    );
    const up = await uploadImport(ts, {
      cookie: wuhua,
      feed: 'health-birth-certificates',
      file: f,
      fileName: 'certs.xlsx',
    });
    expect(up.statusCode).toBe(202);
    await importJobsIdle();
    const jobId = up.json().id;
    const rj = await ts.request({ method: 'GET', url: `/api/v1/imports/${jobId}/rejects`, cookie: wuhua });
    expect(rj.statusCode).toBe(200);
    expect(
      rj
        .json()
        .rejects.map((r: { reason: string }) => r.reason)
        .sort(),
    ).toEqual(['area.outside_scope', 'id.checksum']);
    expect(rj.body).not.toContain(goodMother);
    expect(rj.body).not.toContain(wrongCheck(goodMother));
    const x = await ts.request({
      method: 'GET',
      url: `/api/v1/imports/${jobId}/rejects.xlsx`,
      cookie: wuhua,
    });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    const text = cells.join('\n');
    expect(findUnmaskedIdNumbers(text)).toEqual([]);
    expect(text).not.toContain(wrongCheck(goodMother));
    for (const url of [
      `/api/v1/imports/${jobId}`,
      `/api/v1/imports/${jobId}/rejects`,
      `/api/v1/imports/${jobId}/rejects.xlsx`,
    ])
      expect((await ts.request({ method: 'GET', url, cookie: panlong })).statusCode).toBe(404);
  });

  it('no staff answer carried a full ID number, and every import of the suite was audited', async () => {
    const imports = await sql<{
      n: number;
    }>`select count(*)::int as n from audit_log where action = 'import.run'`.execute(db());
    expect(Number(imports.rows[0].n)).toBeGreaterThan(10);
    const auditView = await ts.request({
      method: 'GET',
      url: '/api/v1/audit?limit=200',
      cookie: await ts.login('auditor'),
    });
    expect(auditView.statusCode).toBe(200);
    expect(ts.leaks).toEqual([]);
  });
});
