-- State machine versions and aliases of the Step Functions API (PublishStateMachineVersion ..
-- ListStateMachineAliases) and the version or alias each execution was started through.
-- One row per machine holds the highest version number it ever had, so a deleted number is never
-- reused; every write of a machine's versions or aliases first writes that row, which serialises them.
CREATE TABLE state_machine_version_numbers (
  machine_arn  TEXT   NOT NULL PRIMARY KEY,
  last_number  BIGINT NOT NULL
);

CREATE TABLE state_machine_versions (
  machine_arn      TEXT   NOT NULL,
  version_number   BIGINT NOT NULL,
  revision_id      TEXT   NOT NULL,
  definition_hash  TEXT   NOT NULL REFERENCES definitions (definition_hash),
  role_arn         TEXT   NOT NULL,
  description      TEXT,
  creation_ms      BIGINT NOT NULL,
  PRIMARY KEY (machine_arn, version_number)
);

-- routes: "version:weight" pairs joined by commas (one or two versions of the same machine)
CREATE TABLE state_machine_aliases (
  machine_arn  TEXT   NOT NULL,
  name         TEXT   NOT NULL,
  description  TEXT,
  routes       TEXT   NOT NULL,
  creation_ms  BIGINT NOT NULL,
  update_ms    BIGINT NOT NULL,
  PRIMARY KEY (machine_arn, name)
);

CREATE TABLE execution_origins (
  execution_arn  TEXT NOT NULL PRIMARY KEY,
  version_arn    TEXT NOT NULL,
  alias_arn      TEXT
);
