package dev.troupe.server.sfn;

import dev.troupe.runtime.durable.DurableRuntime;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.MapRunRecord;
import dev.troupe.store.MapRunStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Map Runs of Distributed Maps run by the durable driver, as Step Functions shows them:
 * DescribeMapRun, ListMapRuns (paging) and UpdateMapRun, with AWS's checks. The records are the
 * store's ({@link MapRunRecord}); an update reaches a Map Run running in this process at once
 * through {@link DurableRuntime#updateMapRun}.
 */
public final class MapRunService {
  private static final int DEFAULT_PAGE = 100;
  private static final String TOKEN_PREFIX = "maprun-page:";

  private final ExecutionStore store;
  private final DurableRuntime runtime;

  public MapRunService(ExecutionStore store, DurableRuntime runtime) {
    this.store = store;
    this.runtime = runtime;
  }

  /**
   * The parts of a Map Run ARN, {@code arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID};
   * InvalidArn for anything else.
   */
  static String[] mapRunParts(String arn) {
    if (!arn.startsWith("arn:")) {
      throw ArnScheme.invalid("Invalid ARN prefix: " + arn);
    }
    String[] parts = arn.split(":", -1);
    if (parts.length < 6 || !parts[2].equals("states")) {
      throw ArnScheme.invalid("Resource type not valid in this context: " + arn);
    }
    if (!parts[5].equals("mapRun")
        || parts.length != 8
        || parts[6].indexOf('/') <= 0
        || parts[6].endsWith("/")
        || parts[7].isEmpty()) {
      throw ArnScheme.invalid("Resource type not valid in this context: " + parts[5]);
    }
    return parts;
  }

  /** The ARN of the state machine a Map Run's children run: {@code ...:stateMachine:M/LABEL}. */
  static String childMachineArn(String mapRunArn) {
    String[] p = mapRunParts(mapRunArn);
    return String.join(":", p[0], p[1], p[2], p[3], p[4]) + ":stateMachine:" + p[6];
  }

  private static ApiError notFound(String arn) {
    return ApiError.sfn("ResourceNotFound", "Resource not found: '" + arn + "'");
  }

  /** DescribeMapRun. */
  public MapRunRecord describe(String mapRunArn) {
    mapRunParts(mapRunArn);
    return store.mapRun(mapRunArn).orElseThrow(() -> notFound(mapRunArn));
  }

  /** A page of ListMapRuns. */
  public record Page(List<MapRunRecord> mapRuns, @Nullable String nextToken) {}

  /** ListMapRuns: an execution's Map Runs, oldest first, a page at a time. */
  public Page list(String executionArn, int maxResults, @Nullable String nextToken) {
    ArnScheme.executionNames(executionArn);
    if (store.get(executionArn).isEmpty()) {
      throw ApiError.sfn(
          "ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'");
    }
    List<MapRunRecord> all = store.mapRuns(executionArn);
    int from = 0;
    if (nextToken != null) {
      String after = after(nextToken, executionArn);
      from = all.size();
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).mapRunArn().equals(after)) {
          from = i + 1;
          break;
        }
      }
    }
    int size = maxResults == 0 ? DEFAULT_PAGE : maxResults;
    int to = Math.min(all.size(), from + size);
    List<MapRunRecord> page = List.copyOf(all.subList(Math.min(from, to), to));
    String next =
        to < all.size() ? token(executionArn, page.get(page.size() - 1).mapRunArn()) : null;
    return new Page(page, next);
  }

  private static String token(String executionArn, String lastMapRunArn) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            (TOKEN_PREFIX + executionArn + "\n" + lastMapRunArn).getBytes(StandardCharsets.UTF_8));
  }

  /** The last Map Run ARN of the page a token follows; InvalidToken for one not made here. */
  private static String after(String token, String executionArn) {
    String decoded;
    try {
      decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalidToken();
    }
    String head = TOKEN_PREFIX + executionArn + "\n";
    if (!decoded.startsWith(head) || decoded.length() == head.length()) {
      throw invalidToken();
    }
    return decoded.substring(head.length());
  }

  private static ApiError invalidToken() {
    return ApiError.sfn(
        "InvalidToken", "Invalid Token: the nextToken was not issued for this request");
  }

  /**
   * UpdateMapRun: the given settings of a RUNNING Map Run. AWS's checks: at least one setting,
   * MaxConcurrency and the tolerated count at least 0, the percentage between 0 and 100; an ended
   * Map Run cannot be updated.
   */
  public MapRunRecord update(
      String mapRunArn,
      @Nullable Integer maxConcurrency,
      @Nullable Double toleratedFailurePercentage,
      @Nullable Long toleratedFailureCount) {
    if (maxConcurrency != null && maxConcurrency < 0) {
      throw atLeastZero(maxConcurrency, "maxConcurrency");
    }
    if (toleratedFailureCount != null && toleratedFailureCount < 0) {
      throw atLeastZero(toleratedFailureCount, "toleratedFailureCount");
    }
    if (toleratedFailurePercentage != null
        && (toleratedFailurePercentage < 0 || toleratedFailurePercentage > 100)) {
      throw ApiError.invalidField(
          "Value '"
              + toleratedFailurePercentage.floatValue()
              + "' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have"
              + " value "
              + (toleratedFailurePercentage < 0
                  ? "greater than or equal to 0"
                  : "less than or equal to 100"));
    }
    mapRunParts(mapRunArn);
    if (maxConcurrency == null
        && toleratedFailurePercentage == null
        && toleratedFailureCount == null) {
      throw ApiError.validation(
          "At least one of the following parameters must be specified: maxConcurrency,"
              + " toleratedFailurePercentage, toleratedFailureCount");
    }
    MapRunRecord r =
        runtime
            .updateMapRun(
                mapRunArn, maxConcurrency, toleratedFailurePercentage, toleratedFailureCount)
            .orElseThrow(() -> notFound(mapRunArn));
    if (r.status() != MapRunStatus.RUNNING) {
      throw ApiError.validation(
          "Map Run '"
              + mapRunArn
              + "' is "
              + r.status()
              + ": a Map Run that has completed cannot be updated");
    }
    return r;
  }

  private static ApiError atLeastZero(long value, String member) {
    return ApiError.invalidField(
        "Value '"
            + value
            + "' at '"
            + member
            + "' failed to satisfy constraint: Member must have value greater than or equal to 0");
  }

  /**
   * ListExecutions by a Map Run ARN. Troupe runs a Map Run's children in memory and keeps none of
   * them as executions, so an existing Map Run lists no executions; an unknown one is AWS's
   * ResourceNotFound.
   */
  public void checkListable(String mapRunArn) {
    describe(mapRunArn);
  }
}
