/** Row types of the database, for Kysely. Mirrors `migrations/*.sql`; snake_case like SQL. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp with a database default (Kysely's Generated<> does not nest in ColumnType). */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
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
  created_at: GeneratedTimestamp;
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
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  // 0003_registry (fused registry)
  ethnicity: Generated<string | null>;
  marital_status: Generated<string | null>;
  address: Generated<string | null>;
  household_no: Generated<string | null>;
  household_relation: Generated<string | null>;
  residence_status: Generated<string | null>;
  field_sources: Generated<Json<Record<string, unknown>>>;
}

/** Provenance of one field of a person: which feed and record set it, and when. */
export type FieldSource = {
  source: string;
  feed: string;
  record: string;
  at: string;
  import: number;
  /** For the phone: its blind index, to compare without decrypting. */
  value?: string;
};

export interface ImportBatchTable {
  id: Generated<number>;
  job_id: number | null;
  feed_id: string;
  source: string;
  file_name: string;
  content_hash: string;
  actor_id: number | null;
  area_code: string | null;
  started_at: Timestamp;
  finished_at: Timestamp;
  total_rows: number;
  accepted: number;
  rejected: number;
  updated: number;
  unchanged: number;
  queued_for_review: number;
  report: Json<Record<string, unknown>>;
}

export interface ImportRejectTable {
  import_id: number;
  line_no: number;
  record_id: string | null;
  reason: string;
  column_key: string | null;
  detail: string | null;
  row_values: Json<Record<string, unknown>>;
}

export interface SourceRecordTable {
  feed_id: string;
  record_id: string;
  source: string;
  updated_at: string;
  row_hash: string;
  person_id: number | null;
  link_method: string | null;
  area_code: string | null;
  import_id: number;
}

export interface PersonFieldHistoryTable {
  id: Generated<number>;
  person_id: number;
  area_code: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  old_source: string | null;
  source: string;
  feed_id: string;
  record_id: string;
  source_updated_at: string;
  import_id: number;
  changed_at: Timestamp;
}

export interface FieldConflictTable {
  id: Generated<number>;
  person_id: number;
  area_code: string;
  field: string;
  current_value: string | null;
  current_source: string | null;
  offered_value: string | null;
  source: string;
  feed_id: string;
  record_id: string;
  import_id: number;
  status: Generated<'open' | 'resolved'>;
  created_at: Timestamp;
}

export interface HouseholdTable {
  household_no: string;
  area_code: string;
  street_code: string | null;
  kind: string | null;
  updated_at: Timestamp;
}

export interface PersonRelationshipTable {
  person_id: number;
  related_person_id: number;
  kind: 'spouse';
  since: string | null;
  feed_id: string;
  record_id: string;
}

export interface LifeEventTable {
  id: Generated<number>;
  kind: 'birth' | 'death' | 'marriage' | 'move' | 'special-family';
  person_id: number | null;
  related_person_id: number | null;
  area_code: string | null;
  event_date: string | null;
  feed_id: string;
  record_id: string;
  details: Json<Record<string, unknown>>;
  recorded_at: Timestamp;
}

export interface ReviewItemTable {
  id: Generated<number>;
  feed_id: string;
  record_id: string;
  source: string;
  candidate_person_id: number;
  area_code: string;
  score: number;
  reasons: Json<string[]>;
  record: Json<Record<string, unknown>>;
  /** What the masked values hide, for a "same" decision (migrations 0005, 0006); never shown. */
  masked_facts: Json<{ mother_id?: string; father_id?: string; phone_enc?: string }>;
  status: Generated<'open' | 'same' | 'different'>;
  import_id: number;
  created_at: Timestamp;
  decided_by: number | null;
  decided_at: Timestamp | null;
}

export interface LinkageDecisionTable {
  feed_id: string;
  record_id: string;
  candidate_person_id: number;
  decision: 'same' | 'different';
  decided_by: number | null;
  decided_at: Timestamp;
}

export interface QualityStatTable {
  import_id: number;
  feed_id: string;
  source: string;
  area_code: string;
  computed_at: Timestamp;
  rows_total: number;
  rows_valid: number;
  rows_complete: number;
  rows_timely: number;
  rows_linked: number;
  open_conflicts: number;
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
  run_after: GeneratedTimestamp;
  locked_until: Timestamp | null;
  progress: Json<Record<string, unknown>> | null;
  result: Json<unknown> | null;
  error: string | null;
  created_by: number | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface SchemaMigrationTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: GeneratedTimestamp;
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
  import_batch: ImportBatchTable;
  import_reject: ImportRejectTable;
  source_record: SourceRecordTable;
  person_field_history: PersonFieldHistoryTable;
  field_conflict: FieldConflictTable;
  household: HouseholdTable;
  person_relationship: PersonRelationshipTable;
  life_event: LifeEventTable;
  review_item: ReviewItemTable;
  linkage_decision: LinkageDecisionTable;
  quality_stat: QualityStatTable;
  /** The registry's surname characters, kept by triggers on person (migration 0007). */
  person_surname: { ch: string };
}
