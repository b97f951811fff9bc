package dev.troupe.integrations.functions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A FunctionName as Lambda accepts it: a name ({@code my-function}), a name with a qualifier
 * ({@code my-function:v1}), a full ARN ({@code arn:aws:lambda:us-east-1:123456789012:function:
 * my-function[:qualifier]}) or a partial ARN ({@code 123456789012:function:my-function}).
 *
 * @param region the region an ARN names, else null (the server's)
 * @param account the account a (partial) ARN names, else null (the server's)
 * @param name the function's name
 * @param qualifier the version or alias named, else null; Troupe runs every qualifier as {@code
 *     $LATEST}
 */
public record FunctionName(
    @Nullable String region, @Nullable String account, String name, @Nullable String qualifier) {

  /** Lambda's pattern for FunctionName. */
  public static final String PATTERN =
      "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?"
          + "([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";

  private static final Pattern FULL =
      Pattern.compile(
          "arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\\d):(\\d{12}):function:"
              + "([a-zA-Z0-9_-]{1,64})(?::(\\$LATEST|[a-zA-Z0-9_-]+))?");
  private static final Pattern PARTIAL =
      Pattern.compile("(\\d{12}):function:([a-zA-Z0-9_-]{1,64})(?::(\\$LATEST|[a-zA-Z0-9_-]+))?");
  private static final Pattern PLAIN =
      Pattern.compile("([a-zA-Z0-9_-]{1,64})(?::(\\$LATEST|[a-zA-Z0-9_-]+))?");

  /** A FunctionName that is none of Lambda's forms. */
  public static final class InvalidFunctionName extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidFunctionName(String message) {
      super(message);
    }
  }

  /** Parses {@code text}; {@link InvalidFunctionName} with Lambda's validation message. */
  public static FunctionName parse(String text) {
    Matcher m = FULL.matcher(text);
    if (m.matches()) {
      return new FunctionName(m.group(1), m.group(2), m.group(3), m.group(4));
    }
    m = PARTIAL.matcher(text);
    if (m.matches()) {
      return new FunctionName(null, m.group(1), m.group(2), m.group(3));
    }
    m = PLAIN.matcher(text);
    if (m.matches()) {
      return new FunctionName(null, null, m.group(1), m.group(2));
    }
    throw new InvalidFunctionName(
        "1 validation error detected: Value '"
            + text
            + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular"
            + " expression pattern: "
            + PATTERN);
  }

  /** Whether {@code text} is a function ARN (a Task Resource that invokes a function directly). */
  public static boolean isFunctionArn(String text) {
    return FULL.matcher(text).matches();
  }
}
