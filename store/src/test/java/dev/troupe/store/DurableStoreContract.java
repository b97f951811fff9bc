package dev.troupe.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.kernel.ExecutionStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract of the stores that keep data: what was committed survives closing and reopening. */
public abstract class DurableStoreContract extends StoreContract {

  @Test
  void dataSurvivesClosingAndReopening() {
    String id = created("durable").executionId();
    String other = created("other").executionId();
    assertThat(
            store.commitAll(
                List.of(
                    Commit.of(id, 0, events(1, 4), bytes("after-4"))
                        .withOutbox(List.of(effect(id, 4, T0)))
                        .withTimers(List.of(new Timer(id, "w", T0.plusSeconds(3), "{}")), List.of())
                        .withTokens(List.of(new TaskToken("tt", id, "f")), List.of()),
                    Commit.of(other, 0, events(1, 2), bytes("o"))
                        .withStatus(
                            StatusChange.failed(
                                ExecutionStatus.ABORTED,
                                "Stopped",
                                "by test",
                                T0.plusSeconds(2))))))
        .allMatch(r -> r instanceof CommitResult.Committed);
    ExecutionRecord before = store.get(id).orElseThrow();
    ExecutionRecord otherBefore = store.get(other).orElseThrow();

    store.close();
    store = openStore();

    assertThat(store.get(id)).contains(before);
    assertThat(store.get(other)).contains(otherBefore);
    assertThat(otherBefore.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(store.snapshot(id).orElseThrow().state()).isEqualTo(bytes("after-4"));
    assertThat(store.history(id, 0, true, null).events())
        .isEqualTo(events(1, 4).reversed().stream().map(StoreSupport::stored).toList());
    assertThat(store.dueTimers(T0.plusSeconds(3), 10)).extracting(Timer::key).containsExactly("w");
    assertThat(store.token("tt")).contains(new TaskToken("tt", id, "f"));
    assertThat(store.claimOutbox("n", T0, Duration.ofSeconds(1), 10))
        .extracting(ClaimedEffect::key)
        .containsExactly(new EffectKey(id, 4));
    // the idempotent-name rule still holds after the reopening
    assertThat(store.create(newExecution("durable", "{\"a\":1}", T0)))
        .isEqualTo(new CreateResult.Existing(before));
    // and the versions go on
    assertThat(store.commit(Commit.of(id, 1, events(5, 5), bytes("after-5"))))
        .isEqualTo(new CommitResult.Committed(id, 2));
  }
}
