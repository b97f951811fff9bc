package dev.troupe.store.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link FunctionStore} adapter must do. */
abstract class FunctionStoreContract {
  protected abstract FunctionStore openStore();

  protected abstract void closeStore();

  FunctionStore store;
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00.123456Z");

  @BeforeEach
  void open() {
    store = openStore();
  }

  @AfterEach
  void close() {
    closeStore();
  }

  @Test
  void keepsReplacesListsAndForgetsFunctions() {
    assertThat(store.all()).isEmpty();
    assertThat(store.function("b")).isEmpty();
    store.put(new StoredFunction("b", "{\"url\":\"http://x/1\"}", T0));
    store.put(new StoredFunction("a", "{\"url\":\"http://x/2\"}", T0));
    assertThat(store.function("b"))
        .contains(
            new StoredFunction(
                "b", "{\"url\":\"http://x/1\"}", Instant.parse("2030-01-01T00:00:00.123Z")));
    store.put(new StoredFunction("b", "{\"url\":\"http://x/3\"}", T0.plusSeconds(5)));
    assertThat(store.function("b").orElseThrow().definition())
        .isEqualTo("{\"url\":\"http://x/3\"}");
    assertThat(store.function("b").orElseThrow().updated())
        .isEqualTo(Instant.parse("2030-01-01T00:00:05.123Z"));
    assertThat(store.all()).extracting(StoredFunction::name).containsExactly("a", "b");
    assertThat(store.delete("a")).isTrue();
    assertThat(store.delete("a")).isFalse();
    assertThat(store.all()).extracting(StoredFunction::name).containsExactly("b");
  }

  @Test
  void functionsOutliveTheStoreBeingOpenedAgain() {
    store.put(new StoredFunction("kept", "{}", T0));
    closeStore();
    store = openStore();
    assertThat(store.function("kept")).isPresent();
  }
}
