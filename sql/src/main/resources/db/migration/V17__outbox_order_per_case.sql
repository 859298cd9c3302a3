-- Messages about one case reach each receiver in the order they were written: a referral before its status changes,
-- an officer's first notice before the next rung's. A message with an ordering key is claimed only when no earlier
-- undelivered message of its destination has the same key; a message that keeps failing holds back its own case only
-- (and shows in hotline_outbox_oldest_pending_seconds), never another case.

ALTER TABLE outbox ADD COLUMN ordering_key text;
COMMENT ON COLUMN outbox.ordering_key IS 'Messages of one destination with the same key are delivered in id order (the case they concern); NULL: no order.';

CREATE INDEX outbox_ordering_idx ON outbox (destination, ordering_key, id)
    WHERE delivered_at IS NULL AND ordering_key IS NOT NULL;
