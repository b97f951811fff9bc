-- The event bus's durable state, SQLite. Instants are epoch milliseconds.
CREATE TABLE bus_deliveries (
  delivery_id    TEXT    NOT NULL PRIMARY KEY,
  payload        TEXT    NOT NULL,
  event_ms       BIGINT  NOT NULL,
  due_ms         BIGINT  NOT NULL,
  attempts       INTEGER NOT NULL DEFAULT 0,
  last_error     TEXT,
  lease_owner    TEXT,
  lease_until_ms BIGINT
);
CREATE INDEX bus_deliveries_due ON bus_deliveries (due_ms, delivery_id);

CREATE TABLE bus_given_up (
  delivery_id TEXT    NOT NULL PRIMARY KEY,
  payload     TEXT    NOT NULL,
  event_ms    BIGINT  NOT NULL,
  attempts    INTEGER NOT NULL,
  last_error  TEXT,
  at_ms       BIGINT  NOT NULL,
  reason      TEXT    NOT NULL
);
CREATE INDEX bus_given_up_by_time ON bus_given_up (at_ms, delivery_id);

CREATE TABLE bus_archived_events (
  archive_id TEXT   NOT NULL,
  event_id   TEXT   NOT NULL,
  time_ms    BIGINT NOT NULL,
  event      TEXT   NOT NULL,
  PRIMARY KEY (archive_id, event_id)
);
CREATE INDEX bus_archived_by_time ON bus_archived_events (archive_id, time_ms, event_id);

CREATE TABLE bus_schedules (
  rule_id TEXT   NOT NULL PRIMARY KEY,
  next_ms BIGINT NOT NULL
);
