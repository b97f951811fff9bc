-- The state machine catalog of the Step Functions API (CreateStateMachine .. ListStateMachines,
-- tags): one row per state machine ARN, apart from the definitions the durable driver registers,
-- so that a row can later point at an immutable definition revision by its revision_id.
CREATE TABLE state_machine_catalog (
  arn          TEXT   NOT NULL PRIMARY KEY,
  name         TEXT   NOT NULL,
  type         TEXT   NOT NULL,
  role_arn     TEXT   NOT NULL,
  definition   TEXT   NOT NULL,
  revision_id  TEXT   NOT NULL,
  creation_ms  BIGINT NOT NULL,
  update_ms    BIGINT NOT NULL,
  logging      TEXT   NOT NULL,
  tracing      TEXT   NOT NULL,
  encryption   TEXT,
  tags         TEXT   NOT NULL,
  version      BIGINT NOT NULL
);
