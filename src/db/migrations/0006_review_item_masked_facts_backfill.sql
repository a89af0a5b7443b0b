-- Items queued before 0005 have no masked_facts, and a "same" decision on them looked up the
-- mother on the birth event instead. Fill them in once, from the same place, so that every item
-- carries its masked facts and the decision has one path: the mother the import resolved onto
-- the birth event (birth certificates only; the other feeds resolve no parents), and no phone
-- (the import kept no phone for these items). The life event of an open item cannot have
-- changed since it was queued: a newer version of its record removes the open item.
update review_item r
set masked_facts = coalesce(
  (select jsonb_build_object('mother_id', e.related_person_id::text)
   from life_event e
   where r.feed_id = 'health-birth-certificates'
     and e.feed_id = r.feed_id and e.record_id = r.record_id and e.kind = 'birth'
     and e.related_person_id is not null),
  '{}'::jsonb)
where r.masked_facts is null;
alter table review_item alter column masked_facts set default '{}'::jsonb;
alter table review_item alter column masked_facts set not null;
