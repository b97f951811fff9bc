package dev.troupe.store.activity;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The storage contract of activities and their tasks. Instants are given by the caller and kept to
 * the millisecond.
 */
public interface ActivityStore {
  /**
   * Keeps an activity unless one with its ARN is kept already; returns the activity kept (the new
   * one, or the one already there), as CreateActivity is idempotent.
   */
  default Activity createActivity(Activity activity) {
    return createActivity(activity, Map.of());
  }

  /**
   * Keeps an activity with its tags unless one with its ARN is kept already; returns the activity
   * kept. CreateActivity is idempotent on the name and ignores the tags of a later request (AWS:
   * the tags are not updated), so the first activity's tags stay.
   */
  Activity createActivity(Activity activity, Map<String, String> tags);

  /** An activity's tags (in the order they were given), or empty when it is not kept. */
  Optional<Map<String, String>> activityTags(String activityArn);

  /**
   * Replaces an activity's tags when they are still {@code expected} (a read-modify-write of
   * TagResource or UntagResource); false when they changed meanwhile or the activity is gone.
   */
  boolean replaceActivityTags(
      String activityArn, Map<String, String> expected, Map<String, String> tags);

  Optional<Activity> activity(String activityArn);

  /** Forgets an activity; false if it was not kept. Its tasks stay until they are finished. */
  boolean deleteActivity(String activityArn);

  /** ListActivities: activities by name, then ARN, a page at a time. */
  ActivityPage activities(@Nullable String pageToken, int max);

  /**
   * Schedules a task. At most one task is kept per (execution, frame, epoch), so an effect carried
   * out twice schedules once; returns false when the task (or another for that frame and epoch) was
   * kept already.
   */
  boolean schedule(ActivityTask task);

  /**
   * GetActivityTask: takes the oldest task of the activity that nobody has taken, for {@code
   * workerName} at {@code now}; two workers never take one task.
   */
  Optional<ActivityTask> take(String activityArn, @Nullable String workerName, Instant now);

  Optional<ActivityTask> task(String taskToken);

  /** Removes a task that was answered, timed out or is no longer wanted; false if it was gone. */
  boolean finish(String taskToken);
}
