-- Case numbers (issue 6, the FastAGI load target): each gateway node takes numbers from the counter in blocks and
-- hands them out from memory, so a new case waits on no shared row while the caller waits for the reference.

COMMENT ON TABLE case_reference_counters IS 'Last case number taken per prefix and business-zone year (BD-2026-000123). Nodes take numbers in blocks (hotline.cases.reference-block), each in a short statement of its own; numbers a node held when it stopped, or of a case that failed, are never used (gaps), and two nodes interleave their blocks. Which cases exist is in the audit log (CASE_OPENED).';
