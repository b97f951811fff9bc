package dev.troupe.integrations.functions;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One registered function: its name, where its code runs and how long it may run.
 *
 * @param name the function name, as in Lambda ({@code [A-Za-z0-9_-]}, 1 to 64 characters)
 * @param runs an HTTP endpoint or a local command
 * @param timeout how long an invocation may run before it fails with {@code Sandbox.Timedout}
 */
public record FunctionDefinition(String name, Runs runs, Duration timeout) {
  /** Lambda's default timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

  /** Lambda's largest timeout. */
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public FunctionDefinition {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a function name is 1 to 64 letters, digits, '-' or '_', got '" + name + "'");
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "a function's timeout is 1 to 900 seconds, got " + timeout.toSeconds() + " s");
    }
  }

  /** Where a function's code runs. */
  public sealed interface Runs {}

  /**
   * An HTTP endpoint: each invocation POSTs the event (JSON) to {@code url} with {@code headers}; a
   * 2xx response's body is the result.
   */
  public record Endpoint(URI url, Map<String, String> headers) implements Runs {
    public Endpoint {
      headers = Map.copyOf(headers);
      String scheme = url.getScheme();
      if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
        throw new IllegalArgumentException("a function's url is http or https, got '" + url + "'");
      }
    }
  }

  /**
   * A local command run once per invocation: {@code argv} in {@code directory}, with the server's
   * environment plus {@code environment}; the event is written to its standard input and its
   * standard output is the result.
   */
  public record Command(List<String> argv, Path directory, Map<String, String> environment)
      implements Runs {
    public Command {
      argv = List.copyOf(argv);
      environment = Map.copyOf(environment);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("a function's command names at least the program");
      }
    }
  }
}
