package dev.troupe.store;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the store keeps of one Map Run (a Distributed Map's run of child executions), as
 * DescribeMapRun shows it.
 *
 * @param mapRunArn the Map Run's ARN
 * @param executionId the execution whose Map state started it
 * @param maxConcurrency the MaxConcurrency it was started with, 0 for no limit
 * @param toleratedFailurePercentage 0 when not set
 * @param toleratedFailureCount 0 when not set
 */
public record MapRunRecord(
    String mapRunArn,
    String executionId,
    MapRunStatus status,
    Instant startDate,
    @Nullable Instant stopDate,
    int maxConcurrency,
    double toleratedFailurePercentage,
    long toleratedFailureCount,
    MapRunCounts itemCounts,
    MapRunCounts executionCounts) {
  public MapRunRecord {
    Objects.requireNonNull(mapRunArn, "mapRunArn");
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startDate, "startDate");
    Objects.requireNonNull(itemCounts, "itemCounts");
    Objects.requireNonNull(executionCounts, "executionCounts");
  }
}
