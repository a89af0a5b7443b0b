import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../test-support.ts';
import { seedReference } from './reference.ts';

let ts: TestServer;
beforeAll(async () => {
  ts = await createTestServer();
});
afterAll(async () => {
  await ts.close();
});

const department = (code: string) =>
  ts.deps.db.kysely
    .selectFrom('department')
    .select(['name', 'name_en'])
    .where('code', '=', code)
    .executeTakeFirstOrThrow();

describe('reference departments', () => {
  it('names an area’s counterpart in both languages by the county pattern (卫生健康局 = Health Bureau)', async () => {
    expect(await department('health')).toEqual({
      name: '市卫生健康委',
      name_en: 'Kunming Municipal Health Commission',
    });
    expect(await department('health@530102')).toEqual({
      name: '五华区卫生健康局',
      name_en: 'Wuhua Health Bureau',
    });
  });

  it('corrects a name seeded before on the next start, and leaves the rest as they are', async () => {
    await ts.deps.db.kysely
      .updateTable('department')
      .set({ name_en: 'Wuhua Municipal Health Commission' })
      .where('code', '=', 'health@530102')
      .execute();
    await seedReference(ts.deps.db.kysely);
    expect((await department('health@530102')).name_en).toBe('Wuhua Health Bureau');
    expect(await department('police@530102')).toEqual({
      name: '五华区公安分局',
      name_en: 'Wuhua Public Security Sub-bureau',
    });
  });
});
