import { readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCharacter, makeIdNumber } from '../domain/id-number.ts';
import { SYSTEM } from '../server/context.ts';
import { AppError, toProblem } from '../server/errors.ts';
import { createTestServer, type TestServer, uploadImport } from '../server/test-support.ts';
import { importJobsIdle } from './jobs.ts';
import { importFile } from './pipeline.ts';
import { miRow, policeRow, type Row, tmp, writeCsv, writeJsonl, writeXlsx } from './test-fixtures.ts';

let ts: TestServer;
let dir: string;
const deps = () => ts.deps;

async function count(table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
    ts.deps.db.kysely,
  );
  return Number(r.rows[0].n);
}

async function refusedCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return 'not refused';
}

beforeAll(async () => {
  ts = await createTestServer();
  dir = tmp();
}, 120_000);

afterAll(async () => {
  await importJobsIdle();
  expect(ts.leaks).toEqual([]);
  await ts.close();
});

describe('files refused as a whole leave nothing behind', () => {
  const rows = () => [
    policeRow({ name: '张伟', birth: '1990-01-01' }),
    policeRow({ name: '李娜', sex: 'female', birth: '1991-02-02' }),
  ];
  async function nothingLeft() {
    expect(await count('import_batch')).toBe(0);
    expect(await count('source_record')).toBe(0);
    expect(await count('import_reject')).toBe(0);
  }

  it('refuses wrong columns, naming the missing and unexpected ones', async () => {
    const headers = [...writeCsvHeaders(), '备注'].filter((h) => h !== '姓名');
    const file = writeCsv(dir, 'police-hukou', rows(), { headers, name: 'cols.csv' });
    const before = await count('person');
    try {
      await importFile(deps(), SYSTEM, { feedId: 'police-hukou', file });
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).code).toBe('import.columns');
      expect((e as AppError).params.missing).toContain('姓名');
      expect((e as AppError).params.unexpected).toContain('备注');
    }
    expect(await count('person')).toBe(before);
    await nothingLeft();
  });

  it('says each language’s own words in a refusal (an unnamed and a repeated column)', async () => {
    const headers = [...writeCsvHeaders(), '', '姓名'];
    const file = writeCsv(dir, 'police-hukou', rows(), { headers, name: 'cols-lang.csv' });
    let error: unknown;
    try {
      await importFile(deps(), SYSTEM, { feedId: 'police-hukou', file });
    } catch (e) {
      error = e;
    }
    const { messages } = toProblem(error as AppError, 'en');
    expect(messages.en).toMatch(/\(column \d+ has no name\)/);
    expect(messages.en).toContain('姓名 (repeated)');
    expect(messages.en).not.toMatch(/无列名|重复/);
    expect(messages['zh-CN']).toMatch(/（第 \d+ 列无列名）/);
    expect(messages['zh-CN']).toContain('姓名（重复）');
    expect(messages['zh-CN']).not.toMatch(/has no name|repeated/);
    await nothingLeft();
  });

  it('refuses a truncated CSV (last row cut) after staging earlier rows', async () => {
    const many: Row[] = [];
    for (let i = 0; i < 2500; i++)
      many.push(policeRow({ name: `王${'一二三四五六七八九十'[i % 10]}${i}`, birth: '1985-03-03' }));
    const file = writeCsv(dir, 'police-hukou', many, { cut: 9, name: 'cut.csv' });
    const before = await count('person');
    expect(
      await refusedCode(importFile(deps(), SYSTEM, { feedId: 'police-hukou', file, batchSize: 500 })),
    ).toBe('import.truncated');
    expect(await count('person')).toBe(before);
    await nothingLeft();
  });

  it('refuses an unterminated quote', async () => {
    const file = writeCsv(dir, 'police-hukou', rows(), { name: 'quote.csv' });
    const text = `${readFileSync(file, 'latin1')}"GA1,`;
    const f2 = `${dir}/quote2.csv`;
    writeFileSync(f2, Buffer.from(text, 'latin1'));
    expect(await refusedCode(importFile(deps(), SYSTEM, { feedId: 'police-hukou', file: f2 }))).toBe(
      'import.truncated',
    );
    await nothingLeft();
  });

  it('refuses a GBK file where UTF-8 is expected, and UTF-8 where GBK is', async () => {
    const mi = writeCsv(dir, 'medical-insurance-enrolment', [], { encoding: 'gbk', name: 'mi-gbk.csv' });
    expect(
      await refusedCode(importFile(deps(), SYSTEM, { feedId: 'medical-insurance-enrolment', file: mi })),
    ).toBe('import.encoding');
    const police = writeCsv(dir, 'police-hukou', rows(), { encoding: 'utf-8', name: 'police-utf8.csv' });
    expect(await refusedCode(importFile(deps(), SYSTEM, { feedId: 'police-hukou', file: police }))).toBe(
      'import.encoding',
    );
    await nothingLeft();
  });

  it('refuses an xlsx that is not a whole zip', async () => {
    const f = await writeXlsx(dir, 'social-security-cards', [], 'ss.xlsx');
    const buf = readFileSync(f);
    const cut = `${dir}/ss-cut.xlsx`;
    writeFileSync(cut, buf.subarray(0, Math.floor(buf.length * 0.7)));
    expect(
      await refusedCode(importFile(deps(), SYSTEM, { feedId: 'social-security-cards', file: cut })),
    ).toBe('import.truncated');
    await nothingLeft();
  });
});

function writeCsvHeaders(): string[] {
  return [
    '记录编号',
    '公民身份号码',
    '姓名',
    '性别',
    '民族',
    '出生日期',
    '户号',
    '与户主关系',
    '户口类别',
    '登记类别',
    '户籍地址代码',
    '户籍街道代码',
    '居住街道代码',
    '居住地址',
    '婚姻状况',
    '人员状态',
    '注销日期',
    '登记日期',
    '联系电话',
    '更新时间',
  ];
}

describe('rows, reimports and updates', () => {
  const base = [
    policeRow({ name: '赵敏', sex: 'female', birth: '1992-05-05' }),
    policeRow({ name: '钱进', birth: '1988-08-08' }),
  ];
  const bad = (() => {
    const r1 = policeRow({ name: '孙坏', birth: '1990-01-01' });
    const id = String(r1.idNumber);
    const wrong = '0123456789X'.replace(checkCharacter(id.slice(0, 17)), '')[0];
    r1.idNumber = id.slice(0, 17) + wrong;
    const r2 = { ...policeRow({ name: '周日', birth: '1991-01-01' }), registeredDate: '20230231' };
    const r3 = { ...policeRow({ name: '吴区', birth: '1992-01-01' }), streetCode: '530199999' };
    const r4 = { ...policeRow({ name: '郑空', birth: '1993-01-01' }), name: null };
    return [r1, r2, r3, r4];
  })();
  let importId = 0;

  it('commits the good rows and lists the rejects with line numbers and reasons', async () => {
    const file = writeCsv(dir, 'police-hukou', [...base, ...bad], { name: 'rows.csv' });
    const r = await importFile(deps(), SYSTEM, { feedId: 'police-hukou', file });
    expect(r).toMatchObject({ accepted: 2, rejected: 4, updated: 0, unchanged: 0, queuedForReview: 0 });
    expect(r.rejectsByReason).toEqual({
      'id.checksum': 1,
      'date.invalid': 1,
      'area.unknown': 1,
      'field.missing': 1,
    });
    importId = r.importId!;
    const rejects = await ts.deps.db.kysely
      .selectFrom('import_reject')
      .select(['line_no', 'reason', 'column_key'])
      .where('import_id', '=', importId)
      .orderBy('line_no')
      .execute();
    expect(rejects).toEqual([
      { line_no: 4, reason: 'id.checksum', column_key: 'idNumber' },
      { line_no: 5, reason: 'date.invalid', column_key: 'registeredDate' },
      { line_no: 6, reason: 'area.unknown', column_key: 'streetCode' },
      { line_no: 7, reason: 'field.missing', column_key: 'name' },
    ]);
    const audits = await ts.deps.db.kysely
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'import.run')
      .where('outcome', '=', 'success')
      .execute();
    expect(audits.length).toBe(1);
  });

  it('changes nothing when the same file is imported again', async () => {
    const file = writeCsv(dir, 'police-hukou', [...base, ...bad], { name: 'rows-again.csv' });
    const persons = await count('person');
    const r = await importFile(deps(), SYSTEM, { feedId: 'police-hukou', file });
    expect(r).toMatchObject({ accepted: 0, updated: 0, unchanged: 2, rejected: 4, alreadyImported: true });
    expect(await count('person')).toBe(persons);
    // The same records in another file (new order): row by row, all unchanged.
    const other = writeCsv(dir, 'police-hukou', [base[1], base[0]], { name: 'reordered.csv' });
    const r2 = await importFile(deps(), SYSTEM, { feedId: 'police-hukou', file: other });
    expect(r2).toMatchObject({ accepted: 0, updated: 0, unchanged: 2, rejected: 0 });
    expect(await count('person')).toBe(persons);
  });

  it('applies a newer record and keeps the history and provenance', async () => {
    const newer = {
      ...base[0],
      address: '云南省昆明市五华区新地址88号',
      streetCode: '530102002',
      updatedAt: '20250601090000',
    };
    const older = { ...base[1], name: '钱近', updatedAt: '20240101000000' };
    const file = writeCsv(dir, 'police-hukou', [newer, older], { name: 'newer.csv' });
    const r = await importFile(deps(), SYSTEM, { feedId: 'police-hukou', file });
    expect(r).toMatchObject({ accepted: 0, updated: 1, unchanged: 1 });
    expect(r.warningsByReason['record.stale']).toBe(1);
    const p = await ts.deps.db.kysely
      .selectFrom('person')
      .select(['id', 'address', 'street_code'])
      .where('id_number_bidx', '=', ts.deps.cipher.blindIndex(String(base[0].idNumber)))
      .executeTakeFirstOrThrow();
    expect(p.address).toBe('云南省昆明市五华区新地址88号');
    const hist = await ts.deps.db.kysely
      .selectFrom('person_field_history')
      .select(['field', 'old_value', 'new_value', 'source'])
      .where('person_id', '=', p.id)
      .orderBy('field')
      .execute();
    expect(hist.map((h) => h.field)).toEqual(['address', 'street_code']);
    const cookie = await ts.login('city-admin');
    const page = await ts.request({ method: 'GET', url: `/api/v1/registry/persons/${p.id}`, cookie });
    expect(page.statusCode).toBe(200);
    const addr = page.json().fields.find((f: { field: string }) => f.field === 'address');
    expect(addr.source).toMatchObject({
      source: 'police',
      feed: 'police-hukou',
      updatedAt: '2025-06-01 09:00:00',
    });
    expect(page.json().history.length).toBe(2);
    const still = await ts.deps.db.kysely
      .selectFrom('person')
      .select('name')
      .where('id_number_bidx', '=', ts.deps.cipher.blindIndex(String(base[1].idNumber)))
      .executeTakeFirstOrThrow();
    expect(still.name).toBe('钱进');
  });

  it('serves the rejects as JSON and as an Excel file with masked ID numbers', async () => {
    const cookie = await ts.login('city-admin');
    await ts.deps.db.kysely
      .updateTable('import_batch')
      .set({ job_id: 999_001 })
      .where('id', '=', importId)
      .execute();
    await ts.deps.db.kysely
      .insertInto('job')
      .values({
        id: 999_001,
        queue: 'registry.import',
        payload: JSON.stringify({
          feedId: 'police-hukou',
          source: 'police',
          file: '-',
          fileName: 'rows.csv',
          actor: { areaCode: null, displayName: 'x' },
        }),
        state: 'succeeded',
      } as never)
      .execute();
    const j = await ts.request({ method: 'GET', url: '/api/v1/imports/999001/rejects', cookie });
    expect(j.statusCode).toBe(200);
    expect(j.json().rejects.map((r: { line: number }) => r.line)).toEqual([4, 5, 6, 7]);
    expect(j.json().rejects[0].values.idNumber).toMatch(/^\d{4}\*+\d{3}[\dX]$/);
    const x = await ts.request({ method: 'GET', url: '/api/v1/imports/999001/rejects.xlsx', cookie });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(5);
    expect(String(ws.getRow(2).getCell(1).value)).toBe('4');
    expect(String(ws.getRow(2).getCell(3).value)).toBe('id.checksum');
  });
});

describe('linkage', () => {
  const mother = policeRow({ name: '陈静', sex: 'female', birth: '1993-03-03' });
  const twinA = policeRow({
    name: '王子涵',
    sex: 'male',
    birth: '2023-06-01',
    household: '200000001',
    relation: '20',
  });
  const twinB = policeRow({
    name: '王子轩',
    sex: 'male',
    birth: '2023-06-01',
    household: '200000001',
    relation: '20',
  });
  const cert = (no: string, name: string): Row => ({
    certificateNo: no,
    childName: name,
    childSex: '男',
    birthDate: '2023-06-01',
    gestationWeeks: 37,
    weightGrams: 2600,
    plurality: '双胎',
    birthOrder: 1,
    hospital: '昆明市妇幼保健院',
    motherName: '陈静',
    motherIdNumber: String(mother.idNumber),
    fatherName: null,
    fatherIdNumber: null,
    address: '云南省昆明市五华区华山街道某路1号',
    streetCode: '530102001',
    issuedDate: '2023-06-02',
    updatedAt: '2023-06-03 10:00:00',
  });

  it('looks up fuzzy-match candidates with the birth date and the surname as index conditions', async () => {
    // The pipeline's candidate look-up (a lateral probe per birth date and surname). Scans are
    // switched off so that the plan shows which index conditions exist, whatever the table size.
    const plan = await ts.deps.db.kysely.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_bitmapscan = off`.execute(trx);
      const r = await sql<{ 'QUERY PLAN': string }>`explain (costs off)
        select p.id from unnest(array['2023-06-01']::date[], array['王']::text[]) as q(d, s)
        cross join lateral (select * from person p where p.birth_date = q.d and left(p.name, 1) = q.s offset 0) p`.execute(
        trx,
      );
      return r.rows.map((x) => x['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('person_birth_surname');
    expect(plan).toMatch(/Index Cond: \(\(birth_date = q\.d\) AND \("left"\(name, 1\) = q\.s\)\)/);
  });

  it('never merges twins; each birth certificate links to its own child', async () => {
    await importFile(deps(), SYSTEM, {
      feedId: 'police-hukou',
      file: writeCsv(dir, 'police-hukou', [mother, twinA, twinB], { name: 'twins.csv' }),
    });
    const file = await writeXlsx(dir, 'health-birth-certificates', [
      cert('W000000001', '王子涵'),
      cert('W000000002', '王子轩'),
    ]);
    const r = await importFile(deps(), SYSTEM, { feedId: 'health-birth-certificates', file });
    expect(r.accepted).toBe(2);
    expect(r.linked.byMatch).toBe(2);
    const kids = await ts.deps.db.kysely
      .selectFrom('source_record')
      .innerJoin('person', 'person.id', 'source_record.person_id')
      .select(['source_record.record_id', 'person.name', 'person.mother_id'])
      .where('feed_id', '=', 'health-birth-certificates')
      .orderBy('record_id')
      .execute();
    expect(kids.map((k) => k.name)).toEqual(['王子涵', '王子轩']);
    expect(kids[0].mother_id).not.toBeNull();
    expect(kids[0].mother_id).toBe(kids[1].mother_id);
    // A vaccination without ID number whose name is one character off both ways: never guessed.
    const vac = writeJsonl(dir, 'health-vaccinations', [
      {
        recordId: 'JZ1',
        childIdNumber: null,
        birthCertificateNo: null,
        childName: '王子宣',
        sex: '男',
        birthDate: '2023-06-01',
        vaccineCode: 'HepB',
        vaccineName: '乙肝疫苗',
        dose: 2,
        vaccinationDate: '2023-07-01',
        clinic: '华山社区卫生服务中心',
        streetCode: '530102001',
        guardianPhone: null,
        updatedAt: '2023-07-01 10:00:00',
      },
      {
        recordId: 'JZ2',
        childIdNumber: null,
        birthCertificateNo: 'W000000002',
        childName: '王子轩',
        sex: '男',
        birthDate: '2023-06-01',
        vaccineCode: 'HepB',
        vaccineName: '乙肝疫苗',
        dose: 1,
        vaccinationDate: '2023-06-01',
        clinic: '妇幼',
        streetCode: '530102001',
        guardianPhone: null,
        updatedAt: '2023-06-01 10:00:00',
      },
    ]);
    const v = await importFile(deps(), SYSTEM, { feedId: 'health-vaccinations', file: vac });
    expect(v.linked).toMatchObject({ byCertificate: 1, unlinked: 1, byMatch: 0 });
    const twins = await ts.deps.db.kysely
      .selectFrom('person')
      .select('id')
      .where('birth_date', '=', '2023-06-01')
      .execute();
    expect(twins.length).toBe(2);
  });

  it('queues a medium match for review; the decision is remembered on re-import', async () => {
    const p = policeRow({ name: '林晓', sex: 'female', birth: '1995-09-09', street: '530102001' });
    const pr = await importFile(deps(), SYSTEM, {
      feedId: 'police-hukou',
      file: writeCsv(dir, 'police-hukou', [p], { name: 'lin.csv' }),
    });
    expect(pr, JSON.stringify(pr)).toMatchObject({ accepted: 1 });
    const mi = (updatedAt: string): Row =>
      miRow({
        recordId: 'YB-LIN-1',
        name: '林晓',
        sex: '2',
        birthDate: '1995-09-09',
        streetCode: '530102003',
        phone: '13912345678',
        updatedAt,
      });
    const r = await importFile(deps(), SYSTEM, {
      feedId: 'medical-insurance-enrolment',
      file: writeCsv(dir, 'medical-insurance-enrolment', [mi('2025-01-01 10:00:00')], { name: 'mi1.csv' }),
    });
    expect(r, JSON.stringify(r)).toMatchObject({ queuedForReview: 1 });
    const staff = await ts.login('staff-health-wuhua');
    const other = await ts.login('staff-health-panlong');
    const list = await ts.request({ method: 'GET', url: '/api/v1/registry/reviews', cookie: staff });
    expect(list.statusCode).toBe(200);
    const item = list.json().items.find((i: { recordId: string }) => i.recordId === 'YB-LIN-1');
    expect(item.candidate.name).toBe('林晓');
    expect(item.record.phone).toBe('139****5678');
    const none = await ts.request({ method: 'GET', url: '/api/v1/registry/reviews', cookie: other });
    expect(none.json().items.find((i: { recordId: string }) => i.recordId === 'YB-LIN-1')).toBeUndefined();
    const denied = await ts.request({
      method: 'POST',
      url: `/api/v1/registry/reviews/${item.id}/decision`,
      cookie: other,
      body: { decision: 'same' },
    });
    expect(denied.statusCode).toBe(404);
    const d = await ts.request({
      method: 'POST',
      url: `/api/v1/registry/reviews/${item.id}/decision`,
      cookie: staff,
      body: { decision: 'same' },
    });
    expect(d.statusCode).toBe(200);
    const again = await ts.request({
      method: 'POST',
      url: `/api/v1/registry/reviews/${item.id}/decision`,
      cookie: staff,
      body: { decision: 'different' },
    });
    expect(again.statusCode).toBe(409);
    // A newer version of the same record links by the remembered decision, no new review.
    const r2 = await importFile(deps(), SYSTEM, {
      feedId: 'medical-insurance-enrolment',
      file: writeCsv(dir, 'medical-insurance-enrolment', [mi('2025-03-01 10:00:00')], { name: 'mi2.csv' }),
    });
    expect(r2).toMatchObject({ updated: 1, queuedForReview: 0 });
    expect(r2.linked.byReview).toBe(1);
  });

  describe('by sound: a homophone typo, surname included', () => {
    const mom = policeRow({ name: '周丽', sex: 'female', birth: '1992-04-04' });
    const son = policeRow({
      name: '张伟',
      sex: 'male',
      birth: '2024-02-02',
      household: '200000002',
      relation: '20',
    });
    const twin1 = policeRow({
      name: '张一',
      sex: 'female',
      birth: '2024-03-03',
      household: '200000002',
      relation: '20',
    });
    const twin2 = policeRow({
      name: '张依',
      sex: 'female',
      birth: '2024-03-03',
      household: '200000002',
      relation: '20',
    });
    const birthCert = (no: string, name: string, birthDate: string, sex = '男'): Row => ({
      certificateNo: no,
      childName: name,
      childSex: sex,
      birthDate,
      gestationWeeks: 39,
      weightGrams: 3300,
      plurality: '单胎',
      birthOrder: 1,
      hospital: '昆明市妇幼保健院',
      motherName: '周丽',
      motherIdNumber: String(mom.idNumber),
      fatherName: null,
      fatherIdNumber: null,
      address: '云南省昆明市五华区华山街道某路1号',
      streetCode: '530102001',
      issuedDate: birthDate,
      updatedAt: `${birthDate} 10:00:00`,
    });
    const personId = async (name: string) =>
      Number(
        (
          await ts.deps.db.kysely
            .selectFrom('person')
            .select('id')
            .where('name', '=', name)
            .executeTakeFirstOrThrow()
        ).id,
      );
    const openReviews = (recordId: string) =>
      ts.deps.db.kysely
        .selectFrom('review_item')
        .select(['candidate_person_id', 'score', 'reasons'])
        .where('record_id', '=', recordId)
        .where('status', '=', 'open')
        .execute();

    it('finds a registered person whose surname character differs but sounds the same (章伟 → 张伟)', async () => {
      await importFile(deps(), SYSTEM, {
        feedId: 'police-hukou',
        file: writeCsv(dir, 'police-hukou', [mom, son, twin1, twin2], { name: 'zhang.csv' }),
      });
      const file = await writeXlsx(
        dir,
        'health-birth-certificates',
        [birthCert('Z000000001', '章伟', '2024-02-02')],
        'zhang-cert.xlsx',
      );
      const r = await importFile(deps(), SYSTEM, { feedId: 'health-birth-certificates', file });
      expect(r.accepted).toBe(1);
      // Sex and street agree; the registered child has no mother yet (only a birth certificate
      // gives one): a homophone without that corroboration waits for staff, never auto-links.
      expect(r, JSON.stringify(r)).toMatchObject({ queuedForReview: 1 });
      const items = await openReviews('Z000000001');
      expect(items.map((i) => Number(i.candidate_person_id))).toEqual([await personId('张伟')]);
      expect(JSON.stringify(items[0].reasons)).toContain('name.sound');
    });

    it('finds a compound surname read as a whole (张孙明 → 长孙明: 长孙 is zhang sun, 长 alone chang)', async () => {
      const compound = policeRow({
        name: '长孙明',
        sex: 'male',
        birth: '2024-05-05',
        household: '200000002',
        relation: '20',
      });
      await importFile(deps(), SYSTEM, {
        feedId: 'police-hukou',
        file: writeCsv(dir, 'police-hukou', [compound], { name: 'zhangsun.csv' }),
      });
      const file = await writeXlsx(
        dir,
        'health-birth-certificates',
        [birthCert('Z000000009', '张孙明', '2024-05-05')],
        'zhangsun-cert.xlsx',
      );
      const r = await importFile(deps(), SYSTEM, { feedId: 'health-birth-certificates', file });
      expect(r, JSON.stringify(r)).toMatchObject({ queuedForReview: 1 });
      const items = await openReviews('Z000000009');
      expect(items.map((i) => Number(i.candidate_person_id))).toEqual([await personId('长孙明')]);
      expect(JSON.stringify(items[0].reasons)).toContain('name.sound');
    });

    it('never merges twins with homophone names (张一, 张依): each certificate links its own child', async () => {
      const file = await writeXlsx(
        dir,
        'health-birth-certificates',
        [
          birthCert('Z000000002', '张一', '2024-03-03', '女'),
          birthCert('Z000000003', '张依', '2024-03-03', '女'),
        ],
        'zhang-twins.xlsx',
      );
      const r = await importFile(deps(), SYSTEM, { feedId: 'health-birth-certificates', file });
      expect(r.linked.byMatch).toBe(2);
      const kids = await ts.deps.db.kysely
        .selectFrom('source_record')
        .innerJoin('person', 'person.id', 'source_record.person_id')
        .select(['source_record.record_id', 'person.name'])
        .where('record_id', 'in', ['Z000000002', 'Z000000003'])
        .orderBy('record_id')
        .execute();
      expect(kids.map((k) => k.name)).toEqual(['张一', '张依']);
      // Now both have a mother: a third spelling that sounds like both is never guessed.
      const again = await writeXlsx(
        dir,
        'health-birth-certificates',
        [birthCert('Z000000004', '章衣', '2024-03-03', '女')],
        'zhang-twins-2.xlsx',
      );
      const r2 = await importFile(deps(), SYSTEM, { feedId: 'health-birth-certificates', file: again });
      expect(r2.linked).toMatchObject({ byMatch: 0, unlinked: 1 });
      expect(r2.queuedForReview).toBe(0);
    });

    it('finds a homophone surname first registered earlier in the same import', async () => {
      const idOf = (birth: string, n: number) => makeIdNumber('530102', birth, n);
      const mi = (recordId: string, name: string, birthDate: string, idNumber: string | null): Row =>
        miRow({ recordId, name, birthDate, idNumber });
      const file = writeCsv(
        dir,
        'medical-insurance-enrolment',
        [
          // Batch 1 needs fuzzy matching (the registry's surnames are read then), batch 2
          // registers the first 邬, batch 3 is a 巫 without ID number born the same day.
          mi('YB-WU-1', '张伟', '1970-07-07', null),
          mi('YB-WU-2', '邬强', '1988-08-08', idOf('1988-08-08', 31)),
          mi('YB-WU-3', '巫强', '1988-08-08', null),
        ],
        { name: 'wu.csv' },
      );
      const r = await importFile(deps(), SYSTEM, {
        feedId: 'medical-insurance-enrolment',
        file,
        batchSize: 1,
      });
      expect(r.personsCreated).toBe(1);
      const items = await openReviews('YB-WU-3');
      expect(items.map((i) => Number(i.candidate_person_id))).toEqual([await personId('邬强')]);
    });
  });
});

describe('HTTP imports and scope', () => {
  it('lets staff import only their department source, within their area', async () => {
    const staff = await ts.login('staff-health-wuhua');
    const police = writeCsv(dir, 'police-hukou', [policeRow({ name: '冯一', birth: '1980-01-01' })], {
      name: 'p-staff.csv',
    });
    const no = await uploadImport(ts, { cookie: staff, feed: 'police-hukou', file: police });
    expect(no.statusCode).toBe(403);
    expect(no.json().code).toBe('import.source_forbidden');

    const id1 = makeIdNumber('530102', '2000-01-01', 11);
    const id2 = makeIdNumber('530103', '2000-01-02', 13);
    const deaths = (id: string, street: string, rec: string): Row => ({
      recordId: rec,
      idNumber: id,
      birthCertificateNo: null,
      name: '褚某',
      sex: '男',
      ethnicity: '汉族',
      birthDate: id.slice(6, 10) + '-' + id.slice(10, 12) + '-' + id.slice(12, 14),
      deathDate: '2025-01-01',
      ageAtDeath: 25,
      causeCode: 'V01-X59',
      cause: '意外',
      place: '其他',
      maternal: '否',
      hukouCounty: street.slice(0, 6),
      address: '某地',
      streetCode: street,
      reportDate: '2025-01-02',
      updatedAt: '2025-01-03 10:00:00',
    });
    const f = await writeXlsx(
      dir,
      'health-deaths',
      [deaths(id1, '530102001', 'SW1'), deaths(id2, '530103001', 'SW2')],
      'deaths-staff.xlsx',
    );
    const up = await uploadImport(ts, {
      cookie: staff,
      feed: 'health-deaths',
      file: f,
      fileName: 'deaths.xlsx',
    });
    expect(up.statusCode).toBe(202);
    await importJobsIdle();
    const st = await ts.request({ method: 'GET', url: `/api/v1/imports/${up.json().id}`, cookie: staff });
    expect(st.json().state).toBe('succeeded');
    expect(st.json().report).toMatchObject({
      accepted: 1,
      rejected: 1,
      rejectsByReason: { 'area.outside_scope': 1 },
    });
    const other = await ts.login('staff-health-panlong');
    expect(
      (await ts.request({ method: 'GET', url: `/api/v1/imports/${up.json().id}`, cookie: other })).statusCode,
    ).toBe(404);
    // A refused upload (not a workbook at all) is reported on the job, nothing committed.
    const bad = await uploadImport(ts, {
      cookie: staff,
      feed: 'health-deaths',
      file: Buffer.from('not a zip'),
    });
    await importJobsIdle();
    const st2 = await ts.request({ method: 'GET', url: `/api/v1/imports/${bad.json().id}`, cookie: staff });
    expect(st2.json()).toMatchObject({ state: 'refused', error: { code: 'import.unreadable' } });
    // The person is told why and what to do, in both languages.
    expect(st2.json().error.messages.en).toContain('not an xlsx file');
    expect(st2.json().error.messages['zh-CN']).toContain('另存为 .xlsx');
  });

  it('serves empty templates from the spec', async () => {
    const staff = await ts.login('staff-health-wuhua');
    const t = await ts.request({
      method: 'GET',
      url: '/api/v1/imports/templates/police-hukou',
      cookie: staff,
    });
    expect(t.statusCode).toBe(200);
    const text = iconv.decode(t.rawPayload, 'gbk');
    expect(text.startsWith('记录编号,公民身份号码,姓名')).toBe(true);
    const x = await ts.request({
      method: 'GET',
      url: '/api/v1/imports/templates/education-enrolment',
      cookie: staff,
    });
    expect(x.headers['content-type']).toContain('spreadsheetml');
  });

  it('searches by masked ID (scoped, audited) and shows quality figures', async () => {
    const staff = await ts.login('staff-health-wuhua');
    const p = await ts.deps.db.kysely
      .selectFrom('person')
      .select(['id_number_masked', 'area_code'])
      .where('area_code', '=', '530102')
      .executeTakeFirstOrThrow();
    const s = await ts.request({
      method: 'POST',
      url: '/api/v1/registry/search',
      cookie: staff,
      body: { idNumberMasked: p.id_number_masked },
    });
    expect(s.statusCode).toBe(200);
    expect(s.json().persons.length).toBeGreaterThan(0);
    expect(s.json().persons.every((x: { areaCode: string }) => x.areaCode === '530102')).toBe(true);
    const q = await ts.request({
      method: 'GET',
      url: '/api/v1/registry/quality?source=police',
      cookie: staff,
    });
    expect(q.statusCode).toBe(200);
    const row = q.json().latest.find((r: { areaCode: string }) => r.areaCode === '530102');
    expect(row.validity).toBeGreaterThan(0);
    expect(row.linkageRate).toBe(1);
    const audited = await ts.deps.db.kysely
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'person.search')
      .execute();
    expect(audited.length).toBeGreaterThan(0);
  });
});

describe('a failure in the last batch’s writes', () => {
  it('fails the whole import and leaves nothing of it (not a report of success)', async () => {
    const a = policeRow({ name: '欧阳修', birth: '1987-07-07' });
    await importFile(deps(), SYSTEM, {
      feedId: 'police-hukou',
      file: writeCsv(dir, 'police-hukou', [a], { name: 'tail-1.csv' }),
    });
    const batches = await count('import_batch');
    const personOf = () =>
      ts.deps.db.kysely
        .selectFrom('person')
        .select(['address', 'phone_masked', 'updated_at'])
        .where('name', '=', '欧阳修')
        .executeTakeFirstOrThrow();
    const before = await personOf();
    // The newer version changes the address and the phone; encrypting that phone (in the
    // batch's deferred person update) fails.
    const newer = {
      ...a,
      phone: '13900001111',
      updatedAt: '20250301120000',
      address: '昆明市五华区新地址1号',
    };
    const real = ts.deps.cipher;
    const cipher = {
      ...real,
      encrypt: (v: string) => {
        if (v === '13900001111') throw new Error('encryption failed');
        return real.encrypt(v);
      },
    };
    await expect(
      importFile({ ...deps(), cipher }, SYSTEM, {
        feedId: 'police-hukou',
        file: writeCsv(dir, 'police-hukou', [newer], { name: 'tail-2.csv' }),
      }),
    ).rejects.toThrow('encryption failed');
    expect(await count('import_batch')).toBe(batches);
    expect(await personOf()).toEqual(before);
  });
});
