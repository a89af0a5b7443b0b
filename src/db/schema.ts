/** Row types of the database, for Kysely. Mirrors `migrations/*.sql`; snake_case like SQL. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface ManagementAreaTable {
  code: string;
  name: string;
  short_name: string;
  name_en: string;
  kind: 'county' | 'functional-zone';
  parent_county: string | null;
  population_2020: number;
  census_population_2020: number | null;
}

export interface StreetTable {
  code: string;
  name: string;
  county_code: string;
  area_code: string;
}

export interface DepartmentTable {
  code: string;
  key: string;
  name: string;
  name_en: string;
  level: 'city' | 'area';
  area_code: string | null;
  parent_code: string | null;
}

export type Role = 'citizen' | 'staff' | 'area_admin' | 'city_admin' | 'auditor';

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: Role;
  area_code: string | null;
  department_code: string | null;
  person_id: number | null;
  password_hash: string | null;
  totp_secret_enc: string | null;
  failed_attempts: Generated<number>;
  locked_until: Timestamp | null;
  disabled: Generated<boolean>;
  created_at: Generated<Timestamp>;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  client_ip: string | null;
}

export interface OtpCodeTable {
  id: Generated<number>;
  id_bidx: string;
  code_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  attempts: Generated<number>;
  consumed_at: Timestamp | null;
}

export interface PersonTable {
  id: Generated<number>;
  area_code: string;
  street_code: string | null;
  id_number_enc: string;
  id_number_bidx: string;
  id_number_masked: string;
  name: string;
  sex: 'male' | 'female';
  birth_date: string;
  phone_enc: string | null;
  phone_masked: string | null;
  hukou_area_code: string | null;
  mother_id: number | null;
  father_id: number | null;
  death_date: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface AuditLogTable {
  id: Generated<number>;
  occurred_at: Timestamp;
  actor_id: number | null;
  actor_role: string | null;
  actor_area: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  outcome: string;
  request_id: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface JobTable {
  id: Generated<number>;
  queue: string;
  idempotency_key: string | null;
  payload: Json<Record<string, unknown>>;
  state: Generated<'queued' | 'running' | 'succeeded' | 'failed'>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_after: Generated<Timestamp>;
  locked_until: Timestamp | null;
  progress: Json<Record<string, unknown>> | null;
  result: Json<unknown> | null;
  error: string | null;
  created_by: number | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface SchemaMigrationTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Generated<Timestamp>;
}

export interface Database {
  management_area: ManagementAreaTable;
  street: StreetTable;
  department: DepartmentTable;
  app_user: AppUserTable;
  user_session: SessionTable;
  otp_code: OtpCodeTable;
  person: PersonTable;
  audit_log: AuditLogTable;
  job: JobTable;
  schema_migration: SchemaMigrationTable;
}
