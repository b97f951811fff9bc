package dev.troupe.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The contract of the stores that keep data: what was committed survives closing and reopening. */
public abstract class DurableStoreContract extends StoreContract {

  @Test
  void expressExecutionsSurviveClosingAndReopening() {
    String running = expressArn("r", "1");
    String ended = expressArn("e", "2");
    store.startExpress(new ExpressStart(running, MACHINE, "r", "{\"a\":1}", T0));
    store.startExpress(new ExpressStart(ended, MACHINE, "e", "{}", T0));
    assertThat(store.endExpress(ended, StatusChange.succeeded("[1]", T0.plusSeconds(1)))).isTrue();
    ExecutionRecord endedBefore = store.express(ended).orElseThrow();

    store.close();
    store = openStore();

    assertThat(store.openExpress(null, 10))
        .extracting(ExecutionRecord::executionId, ExecutionRecord::input)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(running, "{\"a\":1}"));
    assertThat(store.express(ended)).contains(endedBefore);
  }

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

  @Test
  void twoStoresOnOneStorageKeepOneWriterPerExecutionAndShareLeases() throws Exception {
    // a second store on the same file or database: another process, another node
    String id = created("shared").executionId();
    int steps = 40;
    List<OutboxEntry> entries = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      entries.add(effect(id, i, T0));
    }
    assertThat(store.commit(Commit.of(id, 0, events(1, 100), bytes("0")).withOutbox(entries)))
        .isInstanceOf(CommitResult.Committed.class);
    try (ExecutionStore second = openStore()) {
      List<ExecutionStore> nodes = List.of(store, second, store, second);
      ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> wins = new ArrayList<>();
        Set<EffectKey> claimed = ConcurrentHashMap.newKeySet();
        List<String> doubles = new CopyOnWriteArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
          ExecutionStore node = nodes.get(n);
          String owner = "node-" + n;
          // each writer also moves an execution of its own, in the same group commit
          String own = created("own-" + n).executionId();
          wins.add(
              pool.submit(
                  () -> {
                    go.await();
                    int won = 0;
                    long ownVersion = 0;
                    while (true) {
                      for (ClaimedEffect c : node.claimOutbox(owner, T0, Duration.ofHours(1), 3)) {
                        if (!claimed.add(c.key())) {
                          doubles.add(c.key().toString());
                        }
                      }
                      Snapshot s = node.snapshot(id).orElseThrow();
                      if (s.version() >= steps) {
                        return won;
                      }
                      long next = 100 + s.version();
                      List<CommitResult> both =
                          node.commitAll(
                              List.of(
                                  Commit.of(id, s.version(), events(next, next), bytes("" + next)),
                                  Commit.of(
                                      own,
                                      ownVersion,
                                      events(ownVersion + 1, ownVersion + 1),
                                      bytes("own"))));
                      assertThat(both.get(1))
                          .isEqualTo(new CommitResult.Committed(own, ownVersion + 1));
                      ownVersion++;
                      CommitResult r = both.get(0);
                      if (r instanceof CommitResult.Committed) {
                        won++;
                      } else {
                        assertThat(r).isInstanceOf(CommitResult.Conflict.class);
                      }
                    }
                  }));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> f : wins) {
          total += f.get();
        }
        assertThat(total).isEqualTo(steps - 1);
        for (ExecutionStore node : List.of(second, store)) {
          for (ClaimedEffect c : node.claimOutbox("drain", T0, Duration.ofHours(1), 1000)) {
            if (!claimed.add(c.key())) {
              doubles.add(c.key().toString());
            }
          }
        }
        assertThat(doubles).isEmpty();
        assertThat(claimed).hasSize(100);
      } finally {
        pool.shutdownNow();
      }
      assertThat(second.history(id, 1000, false, null).events())
          .extracting(HistoryEvent::id)
          .containsExactlyElementsOf(
              java.util.stream.LongStream.rangeClosed(1, 100 + steps - 1).boxed().toList());
      assertThat(second.snapshot(id).orElseThrow().version()).isEqualTo(steps);
    }
  }
}
