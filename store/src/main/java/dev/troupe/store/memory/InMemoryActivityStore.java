package dev.troupe.store.memory;

import dev.troupe.store.activity.Activity;
import dev.troupe.store.activity.ActivityChecks;
import dev.troupe.store.activity.ActivityPage;
import dev.troupe.store.activity.ActivityStore;
import dev.troupe.store.activity.ActivityTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The reference adapter of {@link ActivityStore}: maps under one lock. */
public final class InMemoryActivityStore implements ActivityStore {
  private final Map<String, Activity> activities = new HashMap<>();

  /** By token, in the order they were scheduled. */
  private final Map<String, ActivityTask> tasks = new LinkedHashMap<>();

  private static final Comparator<Activity> ORDER =
      Comparator.comparing(Activity::name).thenComparing(Activity::activityArn);

  private static Instant ms(Instant t) {
    return Instant.ofEpochMilli(t.toEpochMilli());
  }

  /** Tags by activity ARN, each map in the order the tags were given. */
  private final Map<String, Map<String, String>> tags = new HashMap<>();

  @Override
  public synchronized Activity createActivity(Activity a, Map<String, String> given) {
    Activity kept = activities.get(a.activityArn());
    if (kept != null) {
      return kept;
    }
    Activity created = new Activity(a.activityArn(), a.name(), ms(a.creationDate()));
    activities.put(a.activityArn(), created);
    tags.put(a.activityArn(), new LinkedHashMap<>(given));
    return created;
  }

  @Override
  public synchronized Optional<Map<String, String>> activityTags(String activityArn) {
    if (!activities.containsKey(activityArn)) {
      return Optional.empty();
    }
    return Optional.of(new LinkedHashMap<>(tags.getOrDefault(activityArn, Map.of())));
  }

  @Override
  public synchronized boolean replaceActivityTags(
      String activityArn, Map<String, String> expected, Map<String, String> given) {
    if (!activities.containsKey(activityArn)
        || !tags.getOrDefault(activityArn, Map.of()).equals(expected)) {
      return false;
    }
    tags.put(activityArn, new LinkedHashMap<>(given));
    return true;
  }

  @Override
  public synchronized Optional<Activity> activity(String activityArn) {
    return Optional.ofNullable(activities.get(activityArn));
  }

  @Override
  public synchronized boolean deleteActivity(String activityArn) {
    tags.remove(activityArn);
    return activities.remove(activityArn) != null;
  }

  @Override
  public synchronized ActivityPage activities(@Nullable String pageToken, int max) {
    ActivityChecks.page(max);
    ActivityChecks.Cursor after = ActivityChecks.cursor(pageToken);
    List<Activity> sorted = new ArrayList<>(activities.values());
    sorted.sort(ORDER);
    List<Activity> page = new ArrayList<>();
    for (Activity a : sorted) {
      if (after != null
          && ORDER.compare(a, new Activity(after.activityArn(), after.name(), Instant.EPOCH))
              <= 0) {
        continue;
      }
      if (page.size() == max) {
        return new ActivityPage(page, ActivityChecks.token(page.get(max - 1)));
      }
      page.add(a);
    }
    return new ActivityPage(page, null);
  }

  @Override
  public synchronized boolean schedule(ActivityTask t) {
    for (ActivityTask kept : tasks.values()) {
      if (kept.executionId().equals(t.executionId())
          && kept.frameId().equals(t.frameId())
          && kept.epoch() == t.epoch()) {
        return false;
      }
    }
    if (tasks.containsKey(t.taskToken())) {
      return false;
    }
    tasks.put(
        t.taskToken(),
        ActivityTask.scheduled(
            t.taskToken(),
            t.activityArn(),
            t.executionId(),
            t.frameId(),
            t.epoch(),
            t.input(),
            ms(t.scheduledAt())));
    return true;
  }

  @Override
  public synchronized Optional<ActivityTask> take(
      String activityArn, @Nullable String workerName, Instant now) {
    ActivityTask oldest = null;
    for (ActivityTask t : tasks.values()) {
      if (!t.taken()
          && t.activityArn().equals(activityArn)
          && (oldest == null
              || t.scheduledAt().isBefore(oldest.scheduledAt())
              || (t.scheduledAt().equals(oldest.scheduledAt())
                  && t.taskToken().compareTo(oldest.taskToken()) < 0))) {
        oldest = t;
      }
    }
    if (oldest == null) {
      return Optional.empty();
    }
    ActivityTask taken =
        new ActivityTask(
            oldest.taskToken(),
            oldest.activityArn(),
            oldest.executionId(),
            oldest.frameId(),
            oldest.epoch(),
            oldest.input(),
            oldest.scheduledAt(),
            workerName,
            ms(now));
    tasks.put(taken.taskToken(), taken);
    return Optional.of(taken);
  }

  @Override
  public synchronized Optional<ActivityTask> task(String taskToken) {
    return Optional.ofNullable(tasks.get(taskToken));
  }

  @Override
  public synchronized boolean finish(String taskToken) {
    return tasks.remove(taskToken) != null;
  }
}
