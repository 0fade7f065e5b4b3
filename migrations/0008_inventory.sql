-- Placeholder so that 0009 applies on this branch (live-back): the
-- migration numbers must have no gaps and 0008 belongs to the inventory
-- work (branch inv-back, 0008_inventory.sql). At merge, take inv-back's file.
SELECT 1;
