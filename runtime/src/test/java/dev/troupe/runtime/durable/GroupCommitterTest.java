package dev.troupe.runtime.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.store.Commit;
import dev.troupe.store.CommitResult;
import dev.troupe.store.CreateResult;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.ExecutionType;
import dev.troupe.store.NewExecution;
import dev.troupe.store.memory.InMemoryStore;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the group committer forms its batches. */
class GroupCommitterTest {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private static Commit commitOf(String id, int events) {
    List<HistoryEvent> list = new ArrayList<>();
    for (int i = 1; i <= events; i++) {
      list.add(
          new HistoryEvent(
              i, i - 1, T0, "PassStateEntered", JsonNodeFactory.instance.objectNode()));
    }
    return Commit.of(id, 0, list, new byte[] {1});
  }

  /**
   * Four commits: the first is written alone while the other three queue behind it; then the
   * batches the queued ones form, each batch's size as written.
   */
  private static List<Integer> batches(int maxBatchEvents) throws Exception {
    InMemoryStore memory = new InMemoryStore();
    for (String id : List.of("a", "b", "c", "d")) {
      assertThat(
              memory.create(
                  new NewExecution(id, "m", id, ExecutionType.STANDARD, "{}", T0, new byte[] {0})))
          .isInstanceOf(CreateResult.Created.class);
    }
    CountDownLatch firstWriting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    ExecutionStore store =
        (ExecutionStore)
            Proxy.newProxyInstance(
                ExecutionStore.class.getClassLoader(),
                new Class<?>[] {ExecutionStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("commitAll")) {
                    List<?> commits = (List<?>) args[0];
                    sizes.add(commits.size());
                    if (sizes.size() == 1) {
                      firstWriting.countDown();
                      assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                    }
                  }
                  return method.invoke(memory, args);
                });
    GroupCommitter committer = new GroupCommitter(store, 64, Duration.ZERO, maxBatchEvents);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<CommitResult>> results = new ArrayList<>();
      results.add(pool.submit(() -> committer.commit(commitOf("a", 10))));
      assertThat(firstWriting.await(10, TimeUnit.SECONDS)).isTrue();
      for (String id : List.of("b", "c", "d")) {
        results.add(pool.submit(() -> committer.commit(commitOf(id, 10))));
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (committer.queued() < 3 && System.nanoTime() < until) {
        Thread.sleep(1);
      }
      assertThat(committer.queued()).isEqualTo(3);
      release.countDown();
      for (Future<CommitResult> f : results) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(CommitResult.Committed.class);
      }
    } finally {
      pool.shutdown();
    }
    return sizes;
  }

  @Test
  void queuedCommitsFormOneBatchWithinTheEventBound() throws Exception {
    assertThat(batches(100)).containsExactly(1, 3);
  }

  @Test
  void aBatchStopsAtTheEventBoundButNeverLeavesACommitOut() throws Exception {
    // 10 events each: two would be 20, over 15, so each is written on its own
    assertThat(batches(15)).containsExactly(1, 1, 1, 1);
    // a bound below one commit's events still writes that commit, alone
    assertThat(batches(5)).containsExactly(1, 1, 1, 1);
    assertThat(batches(20)).containsExactly(1, 2, 1);
  }
}
