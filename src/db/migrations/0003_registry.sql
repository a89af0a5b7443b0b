-- The fused person registry: imports of department feeds, per-record idempotency, field
-- provenance and history, households, relationships, life events, the linkage review queue and
-- pre-aggregated data-quality figures. Tables that grow with people carry area_code.

-- Additive columns of the person: what the feeds tell beyond the foundation's core, and the
-- provenance of every field (which feed and record, when): {"name": {"source": "police",
-- "feed": "police-hukou", "record": "GA…", "at": "2025-…", "import": 12}, …}.
alter table person add column ethnicity text;
alter table person add column marital_status text;
alter table person add column address text;
alter table person add column household_no text;
alter table person add column household_relation text;
alter table person add column residence_status text;
alter table person add column field_sources jsonb not null default '{}'::jsonb;
create index person_birth_name on person (birth_date, name);
create index person_masked on person (id_number_masked);
create index person_household on person (household_no);

-- One import of one file (committed; a refused file leaves no row, only an audit entry).
create table import_batch (
  id bigserial primary key,
  job_id bigint,
  feed_id text not null,
  source text not null,
  file_name text not null,
  content_hash text not null,
  actor_id bigint,
  area_code text,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  total_rows integer not null,
  accepted integer not null,
  rejected integer not null,
  updated integer not null,
  unchanged integer not null,
  queued_for_review integer not null,
  report jsonb not null
);
create index import_batch_hash on import_batch (feed_id, content_hash);
create index import_batch_area on import_batch (area_code, id);
create index import_batch_job on import_batch (job_id);

-- Rejected rows of an import, with line numbers, reason codes and the row's values (ID and
-- phone numbers masked).
create table import_reject (
  import_id bigint not null references import_batch (id),
  line_no integer not null,
  record_id text,
  reason text not null,
  column_key text,
  detail text,
  row_values jsonb not null,
  primary key (import_id, line_no)
);

-- Every record of every feed seen: the idempotency key (feed, record id, its update time and
-- a digest of its content) and where it was linked.
create table source_record (
  feed_id text not null,
  record_id text not null,
  source text not null,
  updated_at timestamp not null,
  row_hash text not null,
  person_id bigint,
  link_method text,
  area_code text,
  import_id bigint not null,
  primary key (feed_id, record_id)
);
create index source_record_person on source_record (person_id);

-- Each change of a person's field: old and new value, which feed record caused it.
create table person_field_history (
  id bigserial primary key,
  person_id bigint not null references person (id),
  area_code text not null,
  field text not null,
  old_value text,
  new_value text,
  old_source text,
  source text not null,
  feed_id text not null,
  record_id text not null,
  source_updated_at timestamp not null,
  import_id bigint not null,
  changed_at timestamptz not null
);
create index person_field_history_person on person_field_history (person_id, id);

-- A value a lower-precedence source disagrees with (kept, not applied), open until resolved.
create table field_conflict (
  id bigserial primary key,
  person_id bigint not null references person (id),
  area_code text not null,
  field text not null,
  current_value text,
  current_source text,
  offered_value text,
  source text not null,
  feed_id text not null,
  record_id text not null,
  import_id bigint not null,
  status text not null default 'open' check (status in ('open', 'resolved')),
  created_at timestamptz not null,
  unique (person_id, field, feed_id, record_id)
);
create index field_conflict_open on field_conflict (area_code, source, status);

create table household (
  household_no text primary key,
  area_code text not null,
  street_code text,
  kind text,
  updated_at timestamptz not null
);
create index household_area on household (area_code);

-- Relationships beyond mother/father (which live on the person): spouses from marriages.
create table person_relationship (
  person_id bigint not null references person (id),
  related_person_id bigint not null references person (id),
  kind text not null check (kind in ('spouse')),
  since date,
  feed_id text not null,
  record_id text not null,
  primary key (person_id, related_person_id, kind)
);

create table life_event (
  id bigserial primary key,
  kind text not null check (kind in ('birth', 'death', 'marriage', 'move', 'special-family')),
  person_id bigint references person (id),
  related_person_id bigint references person (id),
  area_code text,
  event_date date,
  feed_id text not null,
  record_id text not null,
  details jsonb not null default '{}'::jsonb,
  recorded_at timestamptz not null,
  unique (feed_id, record_id, kind)
);
create index life_event_person on life_event (person_id);
create index life_event_related on life_event (related_person_id);
create index life_event_area on life_event (area_code, kind, event_date);

-- The linkage review queue: a record without a usable ID number that looks like a person
-- (medium score). `record` holds the record's values with ID and phone numbers masked.
create table review_item (
  id bigserial primary key,
  feed_id text not null,
  record_id text not null,
  source text not null,
  candidate_person_id bigint not null references person (id),
  area_code text not null,
  score integer not null,
  reasons jsonb not null,
  record jsonb not null,
  status text not null default 'open' check (status in ('open', 'same', 'different')),
  import_id bigint not null,
  created_at timestamptz not null,
  decided_by bigint,
  decided_at timestamptz,
  unique (feed_id, record_id, candidate_person_id)
);
create index review_item_open on review_item (area_code, status, id);

-- Staff decisions, remembered and applied again when the same record is imported again.
create table linkage_decision (
  feed_id text not null,
  record_id text not null,
  candidate_person_id bigint not null references person (id),
  decision text not null check (decision in ('same', 'different')),
  decided_by bigint,
  decided_at timestamptz not null,
  primary key (feed_id, record_id, candidate_person_id)
);

-- Pre-aggregated quality per import, feed and area (the dashboard never reads person rows).
create table quality_stat (
  import_id bigint not null references import_batch (id),
  feed_id text not null,
  source text not null,
  area_code text not null,
  computed_at timestamptz not null,
  rows_total integer not null,
  rows_valid integer not null,
  rows_complete integer not null,
  rows_timely integer not null,
  rows_linked integer not null,
  open_conflicts integer not null,
  primary key (import_id, area_code)
);
create index quality_stat_source on quality_stat (source, area_code, import_id);
