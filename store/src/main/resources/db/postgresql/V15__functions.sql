-- Functions registered through the API, PostgreSQL. The definition is JSON text; instants are
-- epoch milliseconds.
CREATE TABLE functions (
  name       TEXT   NOT NULL PRIMARY KEY,
  definition TEXT   NOT NULL,
  updated_ms BIGINT NOT NULL
);
