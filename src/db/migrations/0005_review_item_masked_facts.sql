-- A "same" review decision merges the queued record as the import merges a record it links. The
-- record's values (shown to staff) mask its ID and phone numbers, so what the import took from
-- them is kept beside, never shown: the parents it resolved (person ids, `mother_id`,
-- `father_id`) and the phone (`phone_enc`, encrypted like person.phone_enc). Null for items
-- queued before: the decision then finds the mother on the birth event, as it did.
alter table review_item add column masked_facts jsonb;
