package dev.troupe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The state machine catalog's part of the storage contract, run by {@link StoreContract} for every
 * adapter (a test interface, so the contract class only names it).
 */
interface StateMachineCatalogContract {
  Instant CREATED = Instant.parse("2026-03-01T10:00:00.123456Z");

  /** The store under test. */
  ExecutionStore catalogStore();

  /** Reopens the same storage (a fresh process). */
  ExecutionStore reopenCatalogStore();

  static StateMachineRecord machine(String name, String definition, Map<String, String> tags) {
    return new StateMachineRecord(
        "arn:aws:states:us-east-1:123456789012:stateMachine:" + name,
        name,
        "STANDARD",
        "arn:aws:iam::123456789012:role/r",
        definition,
        "rev-" + definition.hashCode(),
        CREATED,
        CREATED,
        "{\"level\":\"OFF\",\"includeExecutionData\":false}",
        "{\"enabled\":false}",
        null,
        tags,
        0);
  }

  @Test
  default void aStateMachineIsCreatedOnceReadBackToTheMillisecondAndSurvivesReopening() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("z", "last set first");
    tags.put("a", "é \"quoted\"");
    StateMachineRecord m = machine("M1", "{\"StartAt\":\"P\"}", tags);
    assertThat(catalogStore().createStateMachine(m)).isTrue();
    assertThat(catalogStore().createStateMachine(machine("M1", "{}", Map.of()))).isFalse();
    StateMachineRecord stored = catalogStore().stateMachine(m.arn()).orElseThrow();
    assertThat(stored).isEqualTo(m.withVersion(1));
    assertThat(stored.creationDate()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
    assertThat(stored.tags().keySet()).containsExactly("z", "a");
    assertThat(reopenCatalogStore().stateMachine(m.arn())).contains(stored);
    assertThat(catalogStore().stateMachine(m.arn() + "x")).isEmpty();
  }

  @Test
  default void aReplacementIsConditionalOnTheRowVersion() {
    StateMachineRecord m = machine("M2", "{\"v\":1}", Map.of());
    catalogStore().createStateMachine(m);
    StateMachineRecord next = machine("M2", "{\"v\":2}", Map.of("k", "v"));
    assertThat(catalogStore().replaceStateMachine(0, next)).isFalse();
    assertThat(catalogStore().replaceStateMachine(1, next)).isTrue();
    assertThat(catalogStore().replaceStateMachine(1, machine("M2", "{\"v\":3}", Map.of())))
        .isFalse();
    StateMachineRecord stored = catalogStore().stateMachine(m.arn()).orElseThrow();
    assertThat(stored).isEqualTo(next.withVersion(2));
    assertThat(catalogStore().replaceStateMachine(5, machine("absent", "{}", Map.of()))).isFalse();
    assertThat(catalogStore().stateMachine(machine("absent", "{}", Map.of()).arn())).isEmpty();
  }

  @Test
  default void anOversizedDefinitionIsRefusedAndNothingIsWritten() {
    String big = "{\"x\":\"" + "a".repeat(CatalogSupport.MAX_DEFINITION_BYTES) + "\"}";
    StateMachineRecord m = machine("Big", big, Map.of());
    assertThatThrownBy(() -> catalogStore().createStateMachine(m))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("ValidationException"));
    assertThat(catalogStore().stateMachine(m.arn())).isEmpty();
    StateMachineRecord small = machine("Big", "{}", Map.of());
    catalogStore().createStateMachine(small);
    assertThatThrownBy(() -> catalogStore().replaceStateMachine(1, m))
        .isInstanceOf(StoreException.class);
    assertThat(catalogStore().stateMachine(m.arn())).contains(small.withVersion(1));
  }

  @Test
  default void deletingRemovesTheRowOnce() {
    StateMachineRecord m = machine("Gone", "{}", Map.of());
    catalogStore().createStateMachine(m);
    assertThat(catalogStore().deleteStateMachine(m.arn())).isTrue();
    assertThat(catalogStore().deleteStateMachine(m.arn())).isFalse();
    assertThat(catalogStore().stateMachine(m.arn())).isEmpty();
    assertThat(catalogStore().createStateMachine(m)).isTrue();
  }

  @Test
  default void theListingPagesThroughEveryMachineInArnOrderWithTokens() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String name = "L" + (char) ('a' + (i * 7) % 25);
      names.add(name);
      catalogStore().createStateMachine(machine(name, "{}", Map.of()));
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      StateMachinePage page = catalogStore().listStateMachines(10, token);
      page.stateMachines().forEach(m -> seen.add(m.name()));
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).isEqualTo(names.stream().sorted().toList());
    assertThat(catalogStore().listStateMachines(0, null).stateMachines()).hasSize(25);
    assertThat(catalogStore().listStateMachines(25, null).nextToken()).isNull();
    for (String bad : new String[] {"nope", "c3RhdGUtbWFjaGluZXM6", "!!"}) {
      assertThatThrownBy(() -> catalogStore().listStateMachines(10, bad))
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.code()).isEqualTo("InvalidToken"));
    }
    assertThatThrownBy(() -> catalogStore().listStateMachines(1001, null))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("ValidationException"));
  }
}
