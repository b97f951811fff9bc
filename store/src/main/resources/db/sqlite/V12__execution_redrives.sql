-- RedriveExecution: how often an execution was redriven and when last (DescribeExecution,
-- ListExecutions' items and its redriveFilter).
ALTER TABLE executions ADD COLUMN redrive_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE executions ADD COLUMN redrive_ms BIGINT;
