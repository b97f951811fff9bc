-- Troupe store, SQLite. Instants are epoch milliseconds.
CREATE TABLE executions (
  execution_id     TEXT    NOT NULL PRIMARY KEY,
  state_machine_id TEXT    NOT NULL,
  name             TEXT    NOT NULL,
  type             TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  input            TEXT    NOT NULL,
  output           TEXT,
  error            TEXT,
  cause            TEXT,
  start_ms         BIGINT  NOT NULL,
  stop_ms          BIGINT,
  version          BIGINT  NOT NULL,
  last_event_id    BIGINT  NOT NULL,
  snapshot         BLOB    NOT NULL,
  UNIQUE (state_machine_id, name)
);
CREATE INDEX executions_by_machine ON executions (state_machine_id, start_ms, execution_id);

CREATE TABLE history_events (
  execution_id      TEXT   NOT NULL REFERENCES executions (execution_id),
  event_id          BIGINT NOT NULL,
  previous_event_id BIGINT NOT NULL,
  ts_ms             BIGINT NOT NULL,
  type              TEXT   NOT NULL,
  details           TEXT   NOT NULL,
  PRIMARY KEY (execution_id, event_id)
);

CREATE TABLE outbox (
  execution_id   TEXT    NOT NULL REFERENCES executions (execution_id),
  event_id       BIGINT  NOT NULL,
  payload        TEXT    NOT NULL,
  due_ms         BIGINT  NOT NULL,
  lease_owner    TEXT,
  lease_until_ms BIGINT,
  attempts       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (execution_id, event_id)
);
CREATE INDEX outbox_due ON outbox (due_ms);

CREATE TABLE timers (
  execution_id   TEXT   NOT NULL REFERENCES executions (execution_id),
  timer_key      TEXT   NOT NULL,
  due_ms         BIGINT NOT NULL,
  payload        TEXT   NOT NULL,
  lease_owner    TEXT,
  lease_until_ms BIGINT,
  PRIMARY KEY (execution_id, timer_key)
);
CREATE INDEX timers_due ON timers (due_ms);

CREATE TABLE task_tokens (
  token        TEXT NOT NULL PRIMARY KEY,
  execution_id TEXT NOT NULL REFERENCES executions (execution_id),
  frame_key    TEXT NOT NULL
);
