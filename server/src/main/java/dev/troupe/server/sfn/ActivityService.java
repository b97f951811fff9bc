package dev.troupe.server.sfn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.durable.Activities;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.store.StoreException;
import dev.troupe.store.activity.Activity;
import dev.troupe.store.activity.ActivityPage;
import dev.troupe.store.activity.ActivityStore;
import dev.troupe.store.activity.ActivityTask;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Activities as an application service: CreateActivity, DeleteActivity, DescribeActivity,
 * ListActivities, and the workers' GetActivityTask and SendTask* over the durable runtime's {@link
 * Activities}, with AWS's checks, error codes and messages. It knows nothing of HTTP or JSON wire
 * shapes.
 */
public final class ActivityService {
  /** The most bytes of a task's output (SendTaskSuccess), as of an execution's input. */
  public static final int MAX_OUTPUT = StepFunctionsService.MAX_INPUT;

  private static final int MAX_WORKER_NAME = 80;
  private static final int MAX_TOKEN = 2048;
  private static final int MAX_ERROR = 256;
  private static final int MAX_CAUSE = 32_768;
  private static final int DEFAULT_PAGE = 100;

  private final Activities tasks;
  private final ActivityStore store;
  private final ArnScheme arns;
  private final Clock clock;

  public ActivityService(Activities tasks, ArnScheme arns, Clock clock) {
    this.tasks = tasks;
    this.store = tasks.store();
    this.arns = arns;
    this.clock = clock;
  }

  private static ApiError noSuchActivity(String arn) {
    return ApiError.sfn("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
  }

  /**
   * CreateActivity: idempotent by name (a second create returns the first activity and keeps its
   * tags: a later request's tags are neither compared nor applied, as AWS documents).
   */
  public Activity create(String name, Map<String, String> tags) {
    StepFunctionsService.checkName(name);
    StepFunctionsService.checkTags(tags);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return store.createActivity(new Activity(arns.activity(name), name, now), tags);
  }

  public Activity describe(String activityArn) {
    ArnScheme.activityName(activityArn);
    return store.activity(activityArn).orElseThrow(() -> noSuchActivity(activityArn));
  }

  /** DeleteActivity: deleting an activity that does not exist is not an error. */
  public void delete(String activityArn) {
    ArnScheme.activityName(activityArn);
    store.deleteActivity(activityArn);
  }

  public ActivityPage list(int maxResults, @Nullable String nextToken) {
    try {
      return store.activities(nextToken, maxResults == 0 ? DEFAULT_PAGE : maxResults);
    } catch (StoreException e) {
      throw e.code().equals("ValidationException")
          ? ApiError.validation(e.detail())
          : ApiError.sfn(e.code(), e.detail());
    }
  }

  /**
   * GetActivityTask: the oldest task of the activity, waiting up to 60 seconds for one; empty when
   * none came.
   */
  public Optional<ActivityTask> getTask(String activityArn, @Nullable String workerName) {
    if (workerName != null && workerName.length() > MAX_WORKER_NAME) {
      throw ApiError.invalidField(
          "Value '"
              + workerName
              + "' at 'workerName' failed to satisfy constraint: Member must have length less"
              + " than or equal to "
              + MAX_WORKER_NAME);
    }
    describe(activityArn);
    return tasks.take(activityArn, workerName, Activities.MAX_WAIT);
  }

  /** SendTaskSuccess. */
  public void succeed(String token, String output) {
    checkToken(token);
    if (output.getBytes(StandardCharsets.UTF_8).length > MAX_OUTPUT) {
      throw ApiError.invalidField(
          "Value at 'output' failed to satisfy constraint: Member must have length less than or"
              + " equal to "
              + MAX_OUTPUT);
    }
    JsonNode parsed;
    try {
      parsed = Json.parse(output);
    } catch (JsonProcessingException e) {
      throw ApiError.sfn("InvalidOutput", "Invalid Output: '" + e.getOriginalMessage() + "'");
    }
    answered(tasks.succeed(token, parsed));
  }

  /** SendTaskFailure. */
  public void fail(String token, @Nullable String error, @Nullable String cause) {
    checkToken(token);
    if (error != null && error.length() > MAX_ERROR) {
      throw ApiError.invalidField(
          "Value at 'error' failed to satisfy constraint: Member must have length less than or"
              + " equal to "
              + MAX_ERROR);
    }
    if (cause != null && cause.length() > MAX_CAUSE) {
      throw ApiError.invalidField(
          "Value at 'cause' failed to satisfy constraint: Member must have length less than or"
              + " equal to "
              + MAX_CAUSE);
    }
    answered(tasks.fail(token, error == null ? "" : error, cause == null ? "" : cause));
  }

  /** SendTaskHeartbeat. */
  public void heartbeat(String token) {
    checkToken(token);
    answered(tasks.heartbeat(token));
  }

  private static void checkToken(String token) {
    if (token.isEmpty() || token.length() > MAX_TOKEN) {
      throw ApiError.invalidField(
          "Value at 'taskToken' failed to satisfy constraint: Member must have length between 1"
              + " and "
              + MAX_TOKEN);
    }
  }

  private static void answered(Activities.Delivery delivery) {
    switch (delivery) {
      case DELIVERED -> {}
      case TASK_TIMED_OUT ->
          throw ApiError.sfn(
              "TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
      case INVALID_TOKEN -> throw ApiError.sfn("InvalidToken", "Invalid Token: 'Invalid token'");
    }
  }
}
