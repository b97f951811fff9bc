package dev.troupe.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A testing aid, not an integration: a deterministic task for the resource {@value #RESOURCE} that
 * returns its parameters, after failing (with {@value #ERROR}) the first {@code failsFirst}
 * invocations with the same parameters in this process, so that Retry is exercised. Put something
 * that tells executions apart in the parameters (e.g. {@code $$.Execution.Name}) to fail the first
 * attempts of each execution. Every other resource fails as with {@link TaskHandler#NONE}.
 */
public final class EchoTaskHandler implements TaskHandler {
  /** The resource it serves. */
  public static final String RESOURCE = "arn:troupe:::echo";

  /** The error of a planned failure. */
  public static final String ERROR = "Troupe.EchoPlannedFailure";

  private final int failsFirst;
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

  /**
   * @param failsFirst how many invocations with the same parameters fail before one succeeds
   */
  public EchoTaskHandler(int failsFirst) {
    if (failsFirst < 0) {
      throw new IllegalArgumentException("failsFirst must not be negative, got " + failsFirst);
    }
    this.failsFirst = failsFirst;
  }

  @Override
  public TaskOutcome invoke(String resource, JsonNode parameters) {
    if (!RESOURCE.equals(resource)) {
      return NONE.invoke(resource, parameters);
    }
    int attempt = attempts.merge(Json.write(parameters), 1, Integer::sum);
    if (attempt <= failsFirst) {
      return new TaskOutcome.Failed(
          ERROR, "planned failure " + attempt + " of " + failsFirst + " (a testing aid)");
    }
    return new TaskOutcome.Succeeded(parameters);
  }
}
