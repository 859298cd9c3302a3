-- The log supervisors review (issue 5): calls show the caller masked (09x xxx x123) without decrypting anything.
ALTER TABLE calls ADD COLUMN caller_masked text;
COMMENT ON COLUMN calls.caller_masked IS 'The caller''s number masked for display (first two and last three digits); NULL when withheld or unknown.';
CREATE INDEX calls_outcome_idx ON calls (outcome, started_at);
CREATE INDEX referrals_created_idx ON referrals (created_at);
