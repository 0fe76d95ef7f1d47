-- Issue 10 (portal): the "possibly urgent" tier (可能紧急) kept with each appeal, so the
-- inbox can put open ones first; and the kinds and categories a reply template fits
-- (space-separated keys, empty = any), so a handler is only offered fitting ones.
ALTER TABLE appeals ADD COLUMN possible_emergency BOOLEAN NOT NULL DEFAULT 0;
-- Open possibly-urgent cases are few: the inbox lists them above everything else.
CREATE INDEX appeals_possible_open ON appeals (unit_path, received_at)
    WHERE possible_emergency
      AND status IN ('received', 'accepted', 'in_progress', 'transferred', 'reopened');
ALTER TABLE reply_templates ADD COLUMN kinds TEXT NOT NULL DEFAULT '';
ALTER TABLE reply_templates ADD COLUMN categories TEXT NOT NULL DEFAULT '';
