-- The rating-window job looks for replied appeals by reply time.
CREATE INDEX appeals_replied_awaiting_rating ON appeals (replied_at) WHERE status = 'replied';
