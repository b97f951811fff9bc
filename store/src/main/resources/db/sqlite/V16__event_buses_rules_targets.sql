-- The event bus's catalog: buses, rules and their targets. Instants are epoch milliseconds.
CREATE TABLE bus_event_buses (
  name        TEXT   NOT NULL PRIMARY KEY,
  arn         TEXT   NOT NULL,
  description TEXT,
  created_ms  BIGINT NOT NULL
);

CREATE TABLE bus_rules (
  bus_name      TEXT   NOT NULL,
  name          TEXT   NOT NULL,
  arn           TEXT   NOT NULL,
  event_pattern TEXT,
  schedule      TEXT,
  state         TEXT   NOT NULL,
  description   TEXT,
  role_arn      TEXT,
  created_ms    BIGINT NOT NULL,
  PRIMARY KEY (bus_name, name)
);

CREATE TABLE bus_targets (
  bus_name  TEXT NOT NULL,
  rule_name TEXT NOT NULL,
  target_id TEXT NOT NULL,
  arn       TEXT NOT NULL,
  config    TEXT NOT NULL,
  PRIMARY KEY (bus_name, rule_name, target_id)
);
