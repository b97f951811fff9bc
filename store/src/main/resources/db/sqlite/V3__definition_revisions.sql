-- Definitions as immutable revisions, keyed by the SHA-256 of their text (lowercase hex): an
-- execution names the revision it started with and keeps running on it whatever is registered
-- under its state machine later. Executions created before this migration name none (NULL) and
-- run on their state machine's latest definition (state_machines).
CREATE TABLE definitions (
  definition_hash TEXT NOT NULL PRIMARY KEY,
  definition      TEXT NOT NULL
);

ALTER TABLE executions ADD COLUMN definition_hash TEXT REFERENCES definitions (definition_hash);
