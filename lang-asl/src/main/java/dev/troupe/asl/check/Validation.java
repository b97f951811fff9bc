package dev.troupe.asl.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * AWS's ValidateStateMachineDefinition: every error and warning in a definition, as diagnostics
 * rather than an exception. The result is {@code FAIL} when any diagnostic is an error, {@code OK}
 * otherwise (warnings do not stop a definition from being created). Warnings are returned only when
 * asked for ({@code severity} WARNING); at most {@code maxResults} diagnostics are returned, and
 * {@code truncated} says whether there were more.
 */
public final class Validation {
  private Validation() {}

  /** AWS's default and largest {@code maxResults}. */
  public static final int MAX_RESULTS = 100;

  /** The outcome of a validation. */
  public record Result(String result, List<Diagnostic> diagnostics, boolean truncated) {
    /** Whether the definition can be created: {@code result} is {@code OK}. */
    public boolean ok() {
      return result.equals("OK");
    }

    /**
     * The response as AWS words it: {@code result}, {@code diagnostics} (each with {@code
     * severity}, {@code code}, {@code message} and, where there is one, {@code location}) and
     * {@code truncated}.
     */
    public ObjectNode toJson() {
      ObjectNode out = Json.NODES.objectNode();
      out.put("result", result);
      ArrayNode list = out.putArray("diagnostics");
      for (Diagnostic d : diagnostics) {
        ObjectNode o = list.addObject();
        o.put("severity", d.severity().name());
        o.put("code", d.code());
        o.put("message", d.message());
        if (!d.pointer().isEmpty()) {
          o.put("location", d.pointer());
        }
      }
      out.put("truncated", truncated);
      return out;
    }
  }

  /** Bad arguments to the call, worded as AWS's ValidationException. */
  public static final class InvalidArgument extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidArgument(String message) {
      super(message);
    }
  }

  /** Validates with AWS's defaults: errors only, at most 100 of them. */
  public static Result validate(
      String definition, @Nullable String type, @Nullable Integer maxResults) {
    return validate(definition, type, null, maxResults);
  }

  /**
   * Validates {@code definition}. {@code type} is {@code STANDARD} (the default, when null) or
   * {@code EXPRESS}; {@code severity} is the least severe diagnostic returned: {@code ERROR} (the
   * default, when null) returns only errors, {@code WARNING} errors and warnings; {@code
   * maxResults} is 1 to 100, and 0 or null means 100. Throws {@link InvalidArgument} for anything
   * else, as AWS answers with a ValidationException. The result is {@code FAIL} when the definition
   * has any error, whatever is returned.
   */
  public static Result validate(
      String definition,
      @Nullable String type,
      @Nullable String severity,
      @Nullable Integer maxResults) {
    if (type != null && !type.equals("STANDARD") && !type.equals("EXPRESS")) {
      throw new InvalidArgument(
          "1 validation error detected: Value '"
              + type
              + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set:"
              + " [STANDARD, EXPRESS]");
    }
    if (severity != null && !severity.equals("ERROR") && !severity.equals("WARNING")) {
      throw new InvalidArgument(
          "1 validation error detected: Value '"
              + severity
              + "' at 'severity' failed to satisfy constraint: Member must satisfy enum value set:"
              + " [ERROR, WARNING]");
    }
    int max = maxResults == null || maxResults == 0 ? MAX_RESULTS : maxResults;
    if (max < 0) {
      throw new InvalidArgument(
          "1 validation error detected: Value '"
              + max
              + "' at 'maxResults' failed to satisfy constraint: Member must have value greater"
              + " than or equal to 0");
    }
    if (max > MAX_RESULTS) {
      throw new InvalidArgument(
          "1 validation error detected: Value '"
              + max
              + "' at 'maxResults' failed to satisfy constraint: Member must have value less than"
              + " or equal to "
              + MAX_RESULTS);
    }
    List<Diagnostic> all = Checker.diagnose(definition, "EXPRESS".equals(type));
    boolean fail = all.stream().anyMatch(Diagnostic::isError);
    boolean warnings = "WARNING".equals(severity);
    List<Diagnostic> shown = all.stream().filter(d -> warnings || d.isError()).toList();
    boolean truncated = shown.size() > max;
    return new Result(fail ? "FAIL" : "OK", truncated ? shown.subList(0, max) : shown, truncated);
  }
}
