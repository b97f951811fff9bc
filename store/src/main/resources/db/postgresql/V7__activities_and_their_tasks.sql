-- Activities and the tasks scheduled on them, PostgreSQL. Instants are epoch milliseconds.
CREATE TABLE activities (
  activity_arn TEXT   NOT NULL PRIMARY KEY,
  name         TEXT   NOT NULL,
  created_ms   BIGINT NOT NULL
);
CREATE INDEX activities_by_name ON activities (name, activity_arn);

CREATE TABLE activity_tasks (
  task_token   TEXT   NOT NULL PRIMARY KEY,
  activity_arn TEXT   NOT NULL,
  execution_id TEXT   NOT NULL,
  frame_id     TEXT   NOT NULL,
  epoch        BIGINT NOT NULL,
  input        TEXT   NOT NULL,
  scheduled_ms BIGINT NOT NULL,
  worker_name  TEXT,
  taken_ms     BIGINT,
  UNIQUE (execution_id, frame_id, epoch)
);
CREATE INDEX activity_tasks_waiting ON activity_tasks (activity_arn, taken_ms, scheduled_ms, task_token);
