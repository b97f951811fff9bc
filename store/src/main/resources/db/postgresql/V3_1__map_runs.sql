-- Map Runs of Distributed Maps run by the durable driver, as DescribeMapRun and ListMapRuns show
-- them: counts of items and of child executions by status. Instants are epoch milliseconds.
CREATE TABLE map_runs (
  map_run_arn                  TEXT             NOT NULL PRIMARY KEY,
  execution_id                 TEXT             NOT NULL REFERENCES executions (execution_id),
  status                       TEXT             NOT NULL,
  start_ms                     BIGINT           NOT NULL,
  stop_ms                      BIGINT,
  max_concurrency              INTEGER          NOT NULL,
  tolerated_failure_percentage DOUBLE PRECISION NOT NULL,
  tolerated_failure_count      BIGINT           NOT NULL,
  items_pending                BIGINT           NOT NULL,
  items_running                BIGINT           NOT NULL,
  items_succeeded              BIGINT           NOT NULL,
  items_failed                 BIGINT           NOT NULL,
  items_timed_out              BIGINT           NOT NULL,
  items_aborted                BIGINT           NOT NULL,
  items_total                  BIGINT           NOT NULL,
  items_results_written        BIGINT           NOT NULL,
  executions_pending           BIGINT           NOT NULL,
  executions_running           BIGINT           NOT NULL,
  executions_succeeded         BIGINT           NOT NULL,
  executions_failed            BIGINT           NOT NULL,
  executions_timed_out         BIGINT           NOT NULL,
  executions_aborted           BIGINT           NOT NULL,
  executions_total             BIGINT           NOT NULL,
  executions_results_written   BIGINT           NOT NULL
);
CREATE INDEX map_runs_by_execution ON map_runs (execution_id, start_ms, map_run_arn);
