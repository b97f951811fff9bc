package dev.troupe.store.activity;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of ListActivities, and the token of the next page (null on the last). */
public record ActivityPage(List<Activity> activities, @Nullable String nextToken) {
  public ActivityPage {
    activities = List.copyOf(activities);
  }
}
