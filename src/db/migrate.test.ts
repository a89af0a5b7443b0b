/**
 * Migrations on a database that already holds data: 0006 fills the masked facts of review items
 * queued before 0005 from the birth event, as the decision used to at decision time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDb } from './connection.ts';
import { listMigrations, migrate } from './migrate.ts';

let db: Db;
type Run = (sql: string) => Promise<Record<string, unknown>[]>;

/** Applies the migrations up to `version` as migrate() does, recording them. */
async function migrateTo(run: Run, version: number): Promise<void> {
  await run(`create table schema_migration (version integer primary key, name text not null,
    checksum text not null, applied_at timestamptz not null default now())`);
  for (const m of listMigrations().filter((x) => x.version <= version))
    await run(`begin;\n${m.sql}\n;insert into schema_migration (version, name, checksum)
      values (${m.version}, '${m.name}', '${m.checksum}');\ncommit;`);
}

beforeAll(async () => {
  db = await openDb({ dataDir: '', memory: true });
}, 60_000);

afterAll(async () => {
  await db.close();
});

describe('0006: masked facts of review items queued before 0005', () => {
  it('takes the mother from the birth event for a birth certificate, and {} elsewhere', async () => {
    await db.admin(async (run) => {
      await migrateTo(run, 5);
      await run(`insert into management_area (code, name, short_name, name_en, kind, population_2020)
        values ('530102', '五华区', '五华', 'Wuhua', 'county', 1)`);
      await run(`insert into person (id, area_code, id_number_enc, id_number_bidx, id_number_masked, name, sex, birth_date)
        values (1, '530102', 'e1', 'b1', 'm1', '王芳', 'female', '1990-01-01'),
               (2, '530102', 'e2', 'b2', 'm2', '王小明', 'male', '2024-03-01'),
               (3, '530102', 'e3', 'b3', 'm3', '李四', 'male', '1980-05-05')`);
      await run(`insert into life_event (kind, person_id, related_person_id, feed_id, record_id, recorded_at)
        values ('birth', null, 1, 'health-birth-certificates', 'C1', now()),
               ('birth', null, null, 'health-birth-certificates', 'C2', now())`);
      const item = (feed: string, record: string, candidate: number, masked: string) =>
        `('${feed}', '${record}', 'health', ${candidate}, '530102', 80, '[]', '{}', ${masked}, 1, now())`;
      await run(`insert into review_item (feed_id, record_id, source, candidate_person_id, area_code, score,
          reasons, record, masked_facts, import_id, created_at) values
        ${item('health-birth-certificates', 'C1', 2, 'null')},
        ${item('health-birth-certificates', 'C2', 2, 'null')},
        ${item('civil-affairs-marriages', 'M1', 3, 'null')},
        ${item('health-birth-certificates', 'C3', 2, `'{"mother_id": "3", "phone_enc": "x"}'`)}`);
    });
    // migrate() applies what is pending, i.e. 0006 on.
    const applied = await migrate(db);
    expect(applied[0]).toBe('6_review_item_masked_facts_backfill');
    const rows = await db.admin((run) =>
      run('select record_id, masked_facts from review_item order by record_id'),
    );
    expect(rows.map((r) => [r.record_id, r.masked_facts])).toEqual([
      ['C1', { mother_id: '1' }],
      ['C2', {}],
      ['C3', { mother_id: '3', phone_enc: 'x' }],
      ['M1', {}],
    ]);
    // Required from now on, an empty object when nothing is given.
    await expect(
      db.admin((run) => run(`update review_item set masked_facts = null where record_id = 'C2'`)),
    ).rejects.toThrow(/null/);
  });
});

describe("0007: the registry's surname characters", () => {
  it('are filled from the persons registered before, then kept by inserts and renames', async () => {
    const sdb = await openDb({ dataDir: '', memory: true });
    try {
      await sdb.admin(async (run) => {
        await migrateTo(run, 6);
        await run(`insert into management_area (code, name, short_name, name_en, kind, population_2020)
          values ('530102', '五华区', '五华', 'Wuhua', 'county', 1)`);
        await run(`insert into person (area_code, id_number_enc, id_number_bidx, id_number_masked, name, sex, birth_date)
          values ('530102', 'e1', 'b1', 'm1', '张伟', 'male', '1990-01-01'),
                 ('530102', 'e2', 'b2', 'm2', '张芳', 'female', '1991-01-01')`);
      });
      await migrate(sdb);
      const surnames = () =>
        sdb.admin(async (run) => (await run('select ch from person_surname order by ch')).map((r) => r.ch));
      expect(await surnames()).toEqual(['张']);
      await sdb.admin((run) =>
        run(`insert into person (area_code, id_number_enc, id_number_bidx, id_number_masked, name, sex, birth_date)
          values ('530102', 'e3', 'b3', 'm3', '章强', 'male', '1992-01-01')`),
      );
      await sdb.admin((run) => run(`update person set name = '汪芳' where id_number_bidx = 'b2'`));
      expect(await surnames()).toEqual(['张', '汪', '章'].sort());
    } finally {
      await sdb.close();
    }
  }, 60_000);
});
