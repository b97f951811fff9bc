package dev.troupe.store.bus;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A rule as kept by {@link BusCatalog}: on bus {@code busName}, with an event pattern or a schedule
 * expression (or both), {@code ENABLED} or {@code DISABLED}.
 */
public record RuleRecord(
    String busName,
    String name,
    String arn,
    @Nullable String eventPattern,
    @Nullable String scheduleExpression,
    String state,
    @Nullable String description,
    @Nullable String roleArn,
    Instant created) {
  public RuleRecord {
    BusChecks.id("bus name", busName);
    BusChecks.id("rule name", name);
    created = BusChecks.ms(created);
  }

  public boolean enabled() {
    return state.equals("ENABLED");
  }
}
