package dev.troupe.store;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One alias of a state machine (CreateStateMachineAlias): a name routing StartExecution to one or
 * two versions of the same machine by weight.
 *
 * @param machineArn the (unqualified) state machine ARN
 * @param name the alias's name, unique per machine
 * @param routes one or two versions of the machine, each with its weight in percent
 */
public record StateMachineAlias(
    String machineArn,
    String name,
    @Nullable String description,
    List<Route> routes,
    Instant creationDate,
    Instant updateDate) {

  public StateMachineAlias {
    routes = List.copyOf(routes);
  }

  /** A version of the machine and the share of starts it gets, 0 to 100. */
  public record Route(long version, int weight) {}

  /** The routes as the store keeps them: {@code version:weight} joined by commas. */
  public static String routesText(List<Route> routes) {
    StringBuilder b = new StringBuilder();
    for (Route r : routes) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(r.version()).append(':').append(r.weight());
    }
    return b.toString();
  }

  /** Reads {@link #routesText}. */
  public static List<Route> routes(String text) {
    List<Route> out = new java.util.ArrayList<>();
    for (String part : text.split(",")) {
      int colon = part.indexOf(':');
      out.add(
          new Route(
              Long.parseLong(part.substring(0, colon)),
              Integer.parseInt(part.substring(colon + 1))));
    }
    return out;
  }
}
