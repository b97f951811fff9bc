package dev.troupe.server.sfn;

import dev.troupe.server.protocol.ApiError;
import dev.troupe.store.activity.ActivityStore;
import java.util.Optional;

/**
 * The tags of activities for TagResource, UntagResource and ListTagsForResource: the same
 * read-modify-write as a state machine's ({@link StepFunctionsService#retag}), the replacement
 * conditional on the tags read ({@link ActivityStore#replaceActivityTags}).
 */
final class ActivityTags {
  private ActivityTags() {}

  /** Whether an ARN names an activity ({@code ...:activity:NAME}). */
  static boolean isActivityArn(String arn) {
    try {
      ArnScheme.activityName(arn);
      return true;
    } catch (ApiError e) {
      return false;
    }
  }

  /** The activity's tags and their replacement; empty for an activity not kept (or no store). */
  static Optional<StepFunctionsService.Tagged> read(
      Optional<ActivityStore> activities, String activityArn) {
    return activities.flatMap(
        store ->
            store
                .activityTags(activityArn)
                .map(
                    tags ->
                        new StepFunctionsService.Tagged(
                            tags, next -> store.replaceActivityTags(activityArn, tags, next))));
  }
}
