-- The explode search reads each listed PC's newest collection time from
-- inventory_facts. collected_at is stored after facts_json, a document of
-- tens of kilobytes, so reading it from the table walks the document's
-- overflow pages: a page of 1,000 search rows took 35 ms instead of 19 ms
-- with 31 KB documents (make bench-inventory). This index holds the time,
-- so the lookup reads the index alone. (kanade 0.29's job_id index stays:
-- its schema is kept as it is.)
CREATE INDEX idx_inventory_facts_job_pc_collected ON inventory_facts (job_id, pc_id, collected_at);
