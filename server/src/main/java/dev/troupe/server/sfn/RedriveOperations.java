package dev.troupe.server.sfn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.server.protocol.AwsJson;
import dev.troupe.server.protocol.Fields;
import dev.troupe.store.ExecutionRecord;
import dev.troupe.store.RedriveFilter;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * RedriveExecution on the wire, and the redrive members of DescribeExecution and ListExecutions
 * (redriveCount, redriveDate, redriveStatus, redriveStatusReason; ListExecutions' redriveFilter).
 */
final class RedriveOperations {
  private final RedriveService redrives;

  RedriveOperations(RedriveService redrives) {
    this.redrives = redrives;
  }

  void register(Map<String, Function<Fields, ObjectNode>> operations) {
    operations.put("RedriveExecution", this::redriveExecution);
  }

  /** RedriveExecution: {executionArn, clientToken?} → {redriveDate}. */
  ObjectNode redriveExecution(Fields f) {
    String arn = f.requiredString("executionArn");
    if (arn.isEmpty() || arn.length() > 2048) {
      throw ApiError.invalidField(
          "Value at 'executionArn' failed to satisfy constraint: Member must have length "
              + (arn.isEmpty() ? "greater than or equal to 1" : "less than or equal to 2048"));
    }
    String token = f.string("clientToken");
    if (token != null) {
      if (token.isEmpty() || token.length() > 64) {
        throw ApiError.invalidField(
            "Value at 'clientToken' failed to satisfy constraint: Member must have length "
                + (token.isEmpty() ? "greater than or equal to 1" : "less than or equal to 64"));
      }
      if (!token.chars().allMatch(c -> c >= '!' && c <= '~')) {
        throw ApiError.invalidField(
            "Value '"
                + token
                + "' at 'clientToken' failed to satisfy constraint: Member must satisfy regular"
                + " expression pattern: [!-~]+");
      }
    }
    ObjectNode out = Json.NODES.objectNode();
    out.put("redriveDate", AwsJson.timestamp(redrives.redrive(arn, token)));
    return out;
  }

  /** DescribeExecution's redrive members of a STANDARD execution. */
  void describe(ObjectNode out, ExecutionRecord e) {
    out.put("redriveCount", e.redriveCount());
    Instant redriven = e.redriveDate();
    if (redriven != null) {
      out.put("redriveDate", AwsJson.timestamp(redriven));
    }
    RedriveService.Status status = redrives.status(e);
    out.put("redriveStatus", status.redriveStatus());
    if (status.reason() != null) {
      out.put("redriveStatusReason", status.reason());
    }
  }

  /** The redrive members of a ListExecutions item. */
  static void listItem(ObjectNode item, ExecutionRecord e) {
    item.put("redriveCount", e.redriveCount());
    Instant redriven = e.redriveDate();
    if (redriven != null) {
      item.put("redriveDate", AwsJson.timestamp(redriven));
    }
  }

  /** ListExecutions' redriveFilter: REDRIVEN, NOT_REDRIVEN or absent. */
  static @Nullable RedriveFilter filter(Fields f) {
    String value = f.string("redriveFilter");
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "REDRIVEN" -> RedriveFilter.REDRIVEN;
      case "NOT_REDRIVEN" -> RedriveFilter.NOT_REDRIVEN;
      default ->
          throw ApiError.invalidField(
              "Value '"
                  + value
                  + "' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum"
                  + " value set: [REDRIVEN, NOT_REDRIVEN]");
    };
  }
}
