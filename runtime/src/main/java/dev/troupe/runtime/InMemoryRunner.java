package dev.troupe.runtime;

import com.fasterxml.jackson.databind.JsonNode;

/** Runs one execution of a state machine in memory, to its end. */
public final class InMemoryRunner {
  /**
   * Runs {@code definitionText} on {@code input}. Throws {@link InvalidDefinitionException} when
   * the definition does not pass the checker.
   */
  public RunResult run(String definitionText, JsonNode input, RunOptions options) {
    throw new UnsupportedOperationException("not built yet");
  }
}
