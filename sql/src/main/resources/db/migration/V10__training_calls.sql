-- Console training calls (issue 7): a trainee's test call through the real IVR engine and session path. It is marked
-- here, opens no case, notifies nobody, and is left out of the call log search, the live board and the reports.

ALTER TABLE calls ADD COLUMN training boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN calls.training IS 'A test call placed from the console''s training page: no case, no notification, not in the call log search, the board or the reports.';
