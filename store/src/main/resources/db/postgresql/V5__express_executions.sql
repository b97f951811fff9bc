-- EXPRESS executions started asynchronously: one row at the start (RUNNING, with the input) and its
-- end written over it; no snapshot and no history. Names are not unique for EXPRESS executions.
CREATE TABLE express_executions (
  execution_id     TEXT   NOT NULL PRIMARY KEY,
  state_machine_id TEXT   NOT NULL,
  name             TEXT   NOT NULL,
  status           TEXT   NOT NULL,
  input            TEXT   NOT NULL,
  output           TEXT,
  error            TEXT,
  cause            TEXT,
  start_ms         BIGINT NOT NULL,
  stop_ms          BIGINT
);
CREATE INDEX express_executions_by_status ON express_executions (status, execution_id);
