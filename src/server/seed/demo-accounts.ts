/**
 * Demo accounts, one per role, and a demo family, created by `junheng db seed` and on the
 * first `npm start` outside production. The TOTP secrets are fixed so that README can list
 * them; never seed these in production.
 */
import type { Db } from '../../db/connection.ts';
import { makeIdNumber, maskIdNumber, maskPhone } from '../../domain/id-number.ts';
import type { Cipher } from '../../security/crypto.ts';
import { hashPassword } from '../auth/service.ts';
import { departmentCode } from './reference.ts';

export const DEMO_PASSWORD = 'Junheng#2026demo';

export const DEMO_ACCOUNTS = [
  {
    username: 'city-admin',
    displayName: '市卫健委管理员',
    role: 'city_admin',
    areaCode: null,
    department: 'health',
  },
  {
    username: 'area-admin-wuhua',
    displayName: '五华区管理员',
    role: 'area_admin',
    areaCode: '530102',
    department: null,
  },
  {
    username: 'staff-health-wuhua',
    displayName: '五华区卫健局 张敏',
    role: 'staff',
    areaCode: '530102',
    department: 'health',
  },
  {
    username: 'staff-health-panlong',
    displayName: '盘龙区卫健局 李强',
    role: 'staff',
    areaCode: '530103',
    department: 'health',
  },
  { username: 'auditor', displayName: '审计员 王芳', role: 'auditor', areaCode: null, department: null },
] as const;

/** Fixed demo TOTP secrets (base32), printed in README and at first start. */
export const DEMO_TOTP_SECRETS: Record<string, string> = {
  'city-admin': 'JBSWY3DPEHPK3PXPJUNHENGCITYADMNA',
  'area-admin-wuhua': 'JBSWY3DPEHPK3PXPJUNHENGAREAWUHAA',
  'staff-health-wuhua': 'JBSWY3DPEHPK3PXPJUNHENGSTAFFWUHA',
  'staff-health-panlong': 'JBSWY3DPEHPK3PXPJUNHENGSTAFFPANA',
  auditor: 'JBSWY3DPEHPK3PXPJUNHENGAUDITORRA',
};

/** The demo citizen: a mother in 五华区 with two children (phone 13800001234). */
export const DEMO_CITIZEN_ID = makeIdNumber('530102', '1992-04-01', 24);
export const DEMO_CITIZEN_PHONE = '13800001234';

type DemoPerson = {
  key: string;
  idNumber: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  areaCode: string;
  streetCode: string;
  phone?: string;
  mother?: string;
  father?: string;
};

export const DEMO_PEOPLE: DemoPerson[] = [
  {
    key: 'mother',
    idNumber: DEMO_CITIZEN_ID,
    name: '李秀英',
    sex: 'female',
    birthDate: '1992-04-01',
    areaCode: '530102',
    streetCode: '530102001',
    phone: DEMO_CITIZEN_PHONE,
  },
  {
    key: 'father',
    idNumber: makeIdNumber('530102', '1990-01-15', 13),
    name: '王建国',
    sex: 'male',
    birthDate: '1990-01-15',
    areaCode: '530102',
    streetCode: '530102001',
    phone: '13900005678',
  },
  {
    key: 'child1',
    idNumber: makeIdNumber('530102', '2019-05-01', 32),
    name: '王子涵',
    sex: 'female',
    birthDate: '2019-05-01',
    areaCode: '530102',
    streetCode: '530102001',
    mother: 'mother',
    father: 'father',
  },
  {
    key: 'child2',
    idNumber: makeIdNumber('530102', '2024-03-15', 11),
    name: '王梓轩',
    sex: 'male',
    birthDate: '2024-03-15',
    areaCode: '530102',
    streetCode: '530102001',
    mother: 'mother',
    father: 'father',
  },
  {
    key: 'panlong1',
    idNumber: makeIdNumber('530103', '1988-08-08', 45),
    name: '赵丽',
    sex: 'female',
    birthDate: '1988-08-08',
    areaCode: '530103',
    streetCode: '530103001',
    phone: '13700002222',
  },
  {
    key: 'guandu1',
    idNumber: makeIdNumber('530111', '1995-02-28', 57),
    name: '陈浩',
    sex: 'male',
    birthDate: '1995-02-28',
    areaCode: '530111',
    streetCode: '530111001',
  },
  {
    key: 'yzh1',
    idNumber: makeIdNumber('530125', '2000-02-29', 62),
    name: '杨静',
    sex: 'female',
    birthDate: '2000-02-29',
    areaCode: '530125404',
    streetCode: '530125002',
  },
];

/** Inserts one person with encrypted, indexed and masked ID and phone; returns its id. */
export async function insertPerson(
  db: Db['kysely'],
  cipher: Cipher,
  p: Omit<DemoPerson, 'key' | 'mother' | 'father'> & {
    motherId?: number | null;
    fatherId?: number | null;
    hukouAreaCode?: string;
  },
): Promise<number> {
  const row = await db
    .insertInto('person')
    .values({
      area_code: p.areaCode,
      street_code: p.streetCode,
      id_number_enc: cipher.encrypt(p.idNumber),
      id_number_bidx: cipher.blindIndex(p.idNumber),
      id_number_masked: maskIdNumber(p.idNumber),
      name: p.name,
      sex: p.sex,
      birth_date: p.birthDate,
      phone_enc: p.phone ? cipher.encrypt(p.phone) : null,
      phone_masked: p.phone ? maskPhone(p.phone) : null,
      hukou_area_code: p.hukouAreaCode ?? p.idNumber.slice(0, 6),
      mother_id: p.motherId ?? null,
      father_id: p.fatherId ?? null,
    })
    .onConflict((oc) => oc.column('id_number_bidx').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (row) return row.id;
  const existing = await db
    .selectFrom('person')
    .select('id')
    .where('id_number_bidx', '=', cipher.blindIndex(p.idNumber))
    .executeTakeFirstOrThrow();
  return existing.id;
}

/** Creates the demo accounts and family if missing; returns what was created. */
export async function seedDemo(db: Db, cipher: Cipher): Promise<{ accounts: string[]; people: number }> {
  const created: string[] = [];
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const a of DEMO_ACCOUNTS) {
    const r = await db.kysely
      .insertInto('app_user')
      .values({
        username: a.username,
        display_name: a.displayName,
        role: a.role,
        area_code: a.areaCode,
        department_code: a.department ? departmentCode(a.department, a.areaCode) : null,
        password_hash: passwordHash,
        totp_secret_enc: cipher.encrypt(DEMO_TOTP_SECRETS[a.username]),
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (r) created.push(a.username);
  }
  const ids = new Map<string, number>();
  for (const p of DEMO_PEOPLE) {
    ids.set(
      p.key,
      await insertPerson(db.kysely, cipher, {
        ...p,
        motherId: p.mother ? ids.get(p.mother) : null,
        fatherId: p.father ? ids.get(p.father) : null,
      }),
    );
  }
  return { accounts: created, people: DEMO_PEOPLE.length };
}
