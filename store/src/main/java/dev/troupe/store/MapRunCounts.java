package dev.troupe.store;

/**
 * DescribeMapRun's {@code itemCounts} or {@code executionCounts}: how many items (or child
 * executions) of a Map Run are in each state. Without redrives, {@code failuresNotRedrivable} and
 * {@code pendingRedrive} are 0 and not kept.
 */
public record MapRunCounts(
    long pending,
    long running,
    long succeeded,
    long failed,
    long timedOut,
    long aborted,
    long total,
    long resultsWritten) {
  public static final MapRunCounts NONE = new MapRunCounts(0, 0, 0, 0, 0, 0, 0, 0);

  public MapRunCounts {
    if (pending < 0
        || running < 0
        || succeeded < 0
        || failed < 0
        || timedOut < 0
        || aborted < 0
        || total < 0
        || resultsWritten < 0) {
      throw new IllegalArgumentException("Map Run counts are never negative");
    }
  }
}
