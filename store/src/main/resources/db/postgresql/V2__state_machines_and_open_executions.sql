-- Definitions kept by state machine, so that a fresh process can resume the executions of a store;
-- and the open executions, listed by a driver on start.
CREATE TABLE state_machines (
  state_machine_id TEXT NOT NULL PRIMARY KEY,
  definition       TEXT NOT NULL
);

CREATE INDEX executions_by_status ON executions (status, execution_id);
