package dev.troupe.store.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bus catalog's contract, for every adapter; {@link #reopen()} opens the same storage again.
 */
public abstract class BusCatalogContract {
  protected static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123Z");

  protected BusCatalog catalog;

  protected abstract BusCatalog openCatalog();

  protected abstract void closeCatalog();

  /** Whether the adapter keeps what it holds across {@link #reopen()}. */
  protected boolean durable() {
    return true;
  }

  @BeforeEach
  void open() {
    catalog = openCatalog();
  }

  @AfterEach
  void close() {
    closeCatalog();
  }

  protected void reopen() {
    if (durable()) {
      closeCatalog();
      catalog = openCatalog();
    }
  }

  private static EventBusRecord bus(String name) {
    return new EventBusRecord(
        name, "arn:aws:events:us-east-1:1:event-bus/" + name, "d " + name, T0);
  }

  private static RuleRecord rule(String bus, String name, String state, Instant created) {
    return new RuleRecord(
        bus,
        name,
        "arn:aws:events:us-east-1:1:rule/" + bus + "/" + name,
        "{\"source\":[\"a\"]}",
        null,
        state,
        null,
        null,
        created);
  }

  @Test
  void busesAreCreatedOnceListedByNameAndKeptAcrossAReopen() {
    assertThat(catalog.createBus(bus("orders"))).isTrue();
    assertThat(catalog.createBus(bus("billing"))).isTrue();
    assertThat(catalog.createBus(new EventBusRecord("orders", "other", null, T0.plusSeconds(5))))
        .isFalse();
    reopen();
    assertThat(catalog.buses())
        .extracting(EventBusRecord::name)
        .containsExactly("billing", "orders");
    assertThat(catalog.bus("orders")).contains(bus("orders"));
    assertThat(catalog.bus("nope")).isEmpty();
  }

  @Test
  void aRuleIsReplacedKeepingItsCreationTimeAndTargets() {
    catalog.createBus(bus("default"));
    catalog.putRule(rule("default", "r1", "ENABLED", T0));
    catalog.putTargets(
        "default", "r1", List.of(new TargetRecord("t1", "arn:q", "{\"Id\":\"t1\"}")));
    catalog.putRule(rule("default", "r1", "DISABLED", T0.plusSeconds(60)));
    reopen();
    RuleRecord r = catalog.rule("default", "r1").orElseThrow();
    assertThat(r.state()).isEqualTo("DISABLED");
    assertThat(r.enabled()).isFalse();
    assertThat(r.created()).isEqualTo(T0);
    assertThat(r.eventPattern()).isEqualTo("{\"source\":[\"a\"]}");
    assertThat(catalog.targets("default", "r1")).extracting(TargetRecord::id).containsExactly("t1");
  }

  @Test
  void rulesAreKeptPerBusAndByName() {
    catalog.putRule(rule("a", "z", "ENABLED", T0));
    catalog.putRule(rule("a", "m", "ENABLED", T0));
    catalog.putRule(rule("b", "z", "ENABLED", T0));
    assertThat(catalog.rules("a")).extracting(RuleRecord::name).containsExactly("m", "z");
    assertThat(catalog.rules("b")).extracting(RuleRecord::name).containsExactly("z");
    assertThat(catalog.rules("c")).isEmpty();
    RuleRecord scheduled =
        new RuleRecord(
            "a", "s", "arn:s", null, "rate(5 minutes)", "ENABLED", "every five", "arn:role", T0);
    catalog.putRule(scheduled);
    reopen();
    assertThat(catalog.rule("a", "s")).contains(scheduled);
  }

  @Test
  void targetsAreUpsertedByIdAndRemovedCountingThoseThatWereThere() {
    catalog.putRule(rule("a", "r", "ENABLED", T0));
    catalog.putTargets(
        "a",
        "r",
        List.of(new TargetRecord("t2", "arn:2", "{}"), new TargetRecord("t1", "arn:1", "{}")));
    catalog.putTargets("a", "r", List.of(new TargetRecord("t2", "arn:2b", "{\"x\":1}")));
    reopen();
    assertThat(catalog.targets("a", "r"))
        .containsExactly(
            new TargetRecord("t1", "arn:1", "{}"), new TargetRecord("t2", "arn:2b", "{\"x\":1}"));
    assertThat(catalog.removeTargets("a", "r", List.of("t1", "t9"))).isEqualTo(1);
    assertThat(catalog.targets("a", "r")).extracting(TargetRecord::id).containsExactly("t2");
    assertThat(catalog.targets("a", "other")).isEmpty();
  }

  @Test
  void deletingARuleDeletesItsTargetsAndDeletingABusItsRules() {
    catalog.createBus(bus("b"));
    catalog.putRule(rule("b", "r", "ENABLED", T0));
    catalog.putTargets("b", "r", List.of(new TargetRecord("t", "arn", "{}")));
    assertThat(catalog.deleteRule("b", "r")).isTrue();
    assertThat(catalog.deleteRule("b", "r")).isFalse();
    catalog.putRule(rule("b", "r", "ENABLED", T0));
    assertThat(catalog.targets("b", "r")).isEmpty();
    catalog.putTargets("b", "r", List.of(new TargetRecord("t", "arn", "{}")));
    assertThat(catalog.deleteBus("b")).isTrue();
    assertThat(catalog.deleteBus("b")).isFalse();
    reopen();
    assertThat(catalog.bus("b")).isEmpty();
    assertThat(catalog.rules("b")).isEmpty();
    assertThat(catalog.targets("b", "r")).isEmpty();
  }
}
