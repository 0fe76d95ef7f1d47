-- The supervisor's comment on a decision (督办意见), e.g. why a review is approved
-- and what the handler must redo. NULL for requests decided without one.
ALTER TABLE requests ADD COLUMN decision_note TEXT;

-- Follow-up calls (催问) about an open appeal: a repeat call is attached to the appeal
-- it asks about rather than recorded as a new one, and the handler's inbox flags it.
ALTER TABLE appeals ADD COLUMN follow_ups INTEGER NOT NULL DEFAULT 0;
