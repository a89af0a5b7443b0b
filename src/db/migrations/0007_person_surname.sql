-- The registry's surname characters, for the fuzzy linkage's homophone look-up (a record typed
-- 章伟 must find 张伟): an import reads this small table once instead of scanning every person
-- (11 GB at full scale). Filled from the persons already registered, then kept by
-- statement-level triggers: each insert or update of persons adds the surnames it brings, in
-- one statement over its transition table.
create table person_surname (ch text primary key);
insert into person_surname select distinct left(name, 1) from person where name <> '';

create function person_surname_note() returns trigger language plpgsql as $$
begin
  -- Only surnames not registered yet: a committed one is skipped without touching the key, so
  -- concurrent imports wait on each other only for a surname new to both.
  insert into person_surname
    select distinct left(n.name, 1) from new_rows n
    where n.name <> '' and not exists (select 1 from person_surname s where s.ch = left(n.name, 1))
    on conflict do nothing;
  return null;
end;
$$;
create trigger person_surname_insert after insert on person
  referencing new table as new_rows for each statement execute function person_surname_note();
create trigger person_surname_update after update on person
  referencing new table as new_rows for each statement execute function person_surname_note();
