package dev.troupe.store.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of activities and their tasks, as every adapter must keep it. */
public abstract class ActivityStoreContract {
  protected static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123Z");
  private static final String ACT = "arn:aws:states:us-east-1:123456789012:activity:";

  protected ActivityStore store;

  protected abstract ActivityStore openStore();

  protected abstract void closeStore();

  @BeforeEach
  void open() {
    store = openStore();
  }

  @AfterEach
  void close() {
    closeStore();
  }

  private static Activity activity(String name) {
    return new Activity(ACT + name, name, T0);
  }

  private static ActivityTask task(String token, String activity, String frame, Instant at) {
    return ActivityTask.scheduled(token, ACT + activity, "exec-1", frame, 7, "{\"n\":1}", at);
  }

  @Test
  void createIsIdempotentAndKeepsTheFirst() {
    assertThat(store.createActivity(activity("a"))).isEqualTo(activity("a"));
    Activity again = new Activity(ACT + "a", "a", T0.plusSeconds(60));
    assertThat(store.createActivity(again)).isEqualTo(activity("a"));
    assertThat(store.activity(ACT + "a")).contains(activity("a"));
    assertThat(store.activity(ACT + "nope")).isEmpty();
    assertThat(store.deleteActivity(ACT + "a")).isTrue();
    assertThat(store.deleteActivity(ACT + "a")).isFalse();
    assertThat(store.activity(ACT + "a")).isEmpty();
  }

  @Test
  void tagsAreTheFirstCreatesAndChangeOnlyByACompareAndSetThatSurvivesReopening() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("team", "blue");
    given.put("env", "");
    store.createActivity(activity("t"), given);
    // a second create of the same activity keeps the first one's tags, as AWS does
    store.createActivity(activity("t"), Map.of("team", "red"));
    assertThat(store.activityTags(ACT + "t").orElseThrow())
        .containsExactly(Map.entry("team", "blue"), Map.entry("env", ""));
    assertThat(store.createActivity(activity("plain"))).isEqualTo(activity("plain"));
    assertThat(store.activityTags(ACT + "plain")).contains(Map.of());
    assertThat(store.activityTags(ACT + "none")).isEmpty();

    Map<String, String> next = new LinkedHashMap<>(given);
    next.remove("env");
    next.put("cost", "42");
    assertThat(store.replaceActivityTags(ACT + "t", Map.of("team", "stale"), next)).isFalse();
    assertThat(store.replaceActivityTags(ACT + "t", given, next)).isTrue();
    assertThat(store.replaceActivityTags(ACT + "t", given, Map.of())).isFalse();
    assertThat(store.replaceActivityTags(ACT + "none", Map.of(), Map.of("a", "b"))).isFalse();
    closeStore();
    store = openStore();
    assertThat(store.activityTags(ACT + "t").orElseThrow())
        .containsExactly(Map.entry("team", "blue"), Map.entry("cost", "42"));
    assertThat(store.deleteActivity(ACT + "t")).isTrue();
    assertThat(store.activityTags(ACT + "t")).isEmpty();
    // a new activity of the same name starts without the old one's tags
    store.createActivity(activity("t"));
    assertThat(store.activityTags(ACT + "t")).contains(Map.of());
  }

  @Test
  void creationDatesAreKeptToTheMillisecond() {
    store.createActivity(new Activity(ACT + "a", "a", T0.plusNanos(999_999)));
    assertThat(store.activity(ACT + "a").orElseThrow().creationDate()).isEqualTo(T0);
  }

  @Test
  void listingPagesByName() {
    for (String n : List.of("delta", "alpha", "charlie", "bravo", "echo")) {
      store.createActivity(activity(n));
    }
    ActivityPage first = store.activities(null, 2);
    assertThat(first.activities()).extracting(Activity::name).containsExactly("alpha", "bravo");
    ActivityPage second = store.activities(first.nextToken(), 2);
    assertThat(second.activities()).extracting(Activity::name).containsExactly("charlie", "delta");
    ActivityPage third = store.activities(second.nextToken(), 2);
    assertThat(third.activities()).extracting(Activity::name).containsExactly("echo");
    assertThat(third.nextToken()).isNull();
    assertThat(store.activities(null, 1000).activities()).hasSize(5);
    assertThatThrownBy(() -> store.activities("garbage!", 2))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo("InvalidToken"));
    assertThatThrownBy(() -> store.activities(null, 0)).isInstanceOf(StoreException.class);
  }

  @Test
  void aTaskIsScheduledOncePerFrameAndEpoch() {
    assertThat(store.schedule(task("t1", "a", "f", T0))).isTrue();
    assertThat(store.schedule(task("t1", "a", "f", T0))).isFalse();
    // a second token for the same frame and epoch (an effect carried out twice)
    assertThat(store.schedule(task("t2", "a", "f", T0))).isFalse();
    assertThat(store.task("t2")).isEmpty();
    assertThat(store.task("t1")).contains(task("t1", "a", "f", T0));
    assertThat(store.task("t1").orElseThrow().taken()).isFalse();
  }

  @Test
  void workersTakeTheOldestTaskOfTheirActivityOnce() {
    store.schedule(task("late", "a", "f1", T0.plusSeconds(2)));
    store.schedule(task("early", "a", "f2", T0));
    store.schedule(task("other", "b", "f3", T0));
    Instant now = T0.plusSeconds(5);
    ActivityTask got = store.take(ACT + "a", "worker-1", now).orElseThrow();
    assertThat(got.taskToken()).isEqualTo("early");
    assertThat(got.workerName()).isEqualTo("worker-1");
    assertThat(got.takenAt()).isEqualTo(now);
    assertThat(got.taken()).isTrue();
    assertThat(store.task("early")).contains(got);
    ActivityTask second = store.take(ACT + "a", null, now).orElseThrow();
    assertThat(second.taskToken()).isEqualTo("late");
    assertThat(second.workerName()).isNull();
    assertThat(store.take(ACT + "a", "worker-1", now)).isEmpty();
    assertThat(store.take(ACT + "b", "w", now).map(ActivityTask::taskToken)).contains("other");
    assertThat(store.take(ACT + "c", "w", now)).isEmpty();
  }

  @Test
  void aFinishedTaskIsGone() {
    store.schedule(task("t", "a", "f", T0));
    assertThat(store.finish("t")).isTrue();
    assertThat(store.finish("t")).isFalse();
    assertThat(store.task("t")).isEmpty();
    assertThat(store.take(ACT + "a", "w", T0)).isEmpty();
  }

  @Test
  void whatWasKeptSurvivesReopening() {
    store.createActivity(activity("a"));
    store.schedule(task("t", "a", "f", T0));
    store.schedule(task("u", "a", "g", T0.plusSeconds(1)));
    ActivityTask taken = store.take(ACT + "a", "w", T0.plusSeconds(3)).orElseThrow();
    closeStore();
    store = openStore();
    assertThat(store.activity(ACT + "a")).contains(activity("a"));
    assertThat(store.task("t")).contains(taken);
    assertThat(store.take(ACT + "a", "w", T0.plusSeconds(4)).map(ActivityTask::taskToken))
        .contains("u");
  }

  @Test
  void concurrentWorkersNeverTakeOneTaskTwice() throws Exception {
    int n = 60;
    for (int i = 0; i < n; i++) {
      store.schedule(task("t" + i, "a", "f" + i, T0.plusMillis(i)));
    }
    Set<String> taken = ConcurrentHashMap.newKeySet();
    List<String> twice = new CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        String name = "w" + w;
        workers.add(
            pool.submit(
                () -> {
                  go.await();
                  while (true) {
                    Optional<ActivityTask> t = store.take(ACT + "a", name, T0.plusSeconds(1));
                    if (t.isEmpty()) {
                      return null;
                    }
                    if (!taken.add(t.get().taskToken())) {
                      twice.add(t.get().taskToken());
                    }
                  }
                }));
      }
      go.countDown();
      for (Future<?> f : workers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(twice).isEmpty();
    assertThat(taken).hasSize(n);
  }
}
