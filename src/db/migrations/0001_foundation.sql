-- Foundation: areas, departments, accounts, sessions, the person registry core, the audit log
-- and durable jobs. Tables that grow with people carry area_code, the management area, as
-- their future distribution key (Citus).

create table management_area (
  code text primary key,
  name text not null,
  short_name text not null,
  name_en text not null,
  kind text not null check (kind in ('county', 'functional-zone')),
  parent_county text,
  population_2020 integer not null,
  census_population_2020 integer
);

create table street (
  code text primary key,
  name text not null,
  county_code text not null,
  area_code text not null references management_area (code)
);
create index street_area on street (area_code);

create table department (
  code text primary key,
  key text not null,
  name text not null,
  name_en text not null,
  level text not null check (level in ('city', 'area')),
  area_code text references management_area (code),
  parent_code text references department (code)
);
create index department_area on department (area_code);

create table app_user (
  id bigserial primary key,
  username text not null unique,
  display_name text not null,
  role text not null check (role in ('citizen', 'staff', 'area_admin', 'city_admin', 'auditor')),
  area_code text references management_area (code),
  department_code text references department (code),
  person_id bigint,
  password_hash text,
  totp_secret_enc text,
  failed_attempts integer not null default 0,
  locked_until timestamptz,
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  check (role not in ('staff', 'area_admin') or area_code is not null),
  check (role <> 'staff' or department_code is not null)
);

create table user_session (
  token_hash text primary key,
  user_id bigint not null references app_user (id),
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  client_ip text
);
create index user_session_user on user_session (user_id);

create table otp_code (
  id bigserial primary key,
  id_bidx text not null,
  code_hash text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  attempts integer not null default 0,
  consumed_at timestamptz
);
create index otp_code_bidx on otp_code (id_bidx, created_at desc);

create table person (
  id bigserial primary key,
  area_code text not null references management_area (code),
  street_code text references street (code),
  id_number_enc text not null,
  id_number_bidx text not null unique,
  id_number_masked text not null,
  name text not null,
  sex text not null check (sex in ('male', 'female')),
  birth_date date not null,
  phone_enc text,
  phone_masked text,
  hukou_area_code text,
  mother_id bigint references person (id),
  father_id bigint references person (id),
  death_date date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index person_area on person (area_code);
create index person_mother on person (mother_id);
create index person_father on person (father_id);
create index person_name on person (area_code, name);

alter table app_user add constraint app_user_person foreign key (person_id) references person (id);

-- The audit log: hash-chained (SM3, computed by the application under an advisory lock) and
-- append-only. The trigger refuses UPDATE, DELETE and TRUNCATE in both database kinds; on a
-- server the application role also lacks the privileges (see 0002).
create table audit_log (
  id bigserial primary key,
  occurred_at timestamptz not null,
  actor_id bigint,
  actor_role text,
  actor_area text,
  action text not null,
  subject_type text,
  subject_id text,
  outcome text not null,
  request_id text,
  details jsonb not null default '{}'::jsonb,
  prev_hash text not null,
  hash text not null unique
);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();

-- Durable jobs: claimed with FOR UPDATE SKIP LOCKED, retried with back-off, idempotent by key.
create table job (
  id bigserial primary key,
  queue text not null,
  idempotency_key text unique,
  payload jsonb not null default '{}'::jsonb,
  state text not null default 'queued' check (state in ('queued', 'running', 'succeeded', 'failed')),
  attempts integer not null default 0,
  max_attempts integer not null default 3,
  run_after timestamptz not null default now(),
  locked_until timestamptz,
  progress jsonb,
  result jsonb,
  error text,
  created_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index job_ready on job (queue, state, run_after);
