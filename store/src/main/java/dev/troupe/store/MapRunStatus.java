package dev.troupe.store;

/** A Map Run's status, as DescribeMapRun reports it. */
public enum MapRunStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  ABORTED
}
