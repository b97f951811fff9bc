package dev.troupe.runtime;

import com.fasterxml.jackson.databind.JsonNode;

/** Carries out a Task state's resource. Integrations implement it; tests script it. */
@FunctionalInterface
public interface TaskHandler {
  /** Invokes {@code resource} with {@code parameters}. Never throws: failures are outcomes. */
  TaskOutcome invoke(String resource, JsonNode parameters);

  /** How an invocation ended. */
  sealed interface TaskOutcome {
    record Succeeded(JsonNode output) implements TaskOutcome {}

    record Failed(String error, String cause) implements TaskOutcome {}
  }

  /** The error a Task fails with when no integration serves its resource. */
  String NO_INTEGRATION = "Troupe.IntegrationNotConfigured";

  /** The handler used when none is configured: every task fails with {@link #NO_INTEGRATION}. */
  TaskHandler NONE =
      (resource, parameters) ->
          new TaskOutcome.Failed(
              NO_INTEGRATION,
              "No integration is configured for resource '"
                  + resource
                  + "'. Troupe does not call services or functions yet; the Task failed"
                  + " without running.");
}
