package dev.troupe.asl.interp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.model.Branch;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One thread of control: the whole execution (id {@code "root"}), a Parallel branch or a Map
 * iteration. Immutable; the applier replaces it when a change says so.
 *
 * @param id unique within the execution; a child's id starts with its parent's id and a slash
 * @param parentId the parent frame, null for the root
 * @param branch the states this frame walks
 * @param index the branch or iteration index in the parent, -1 for the root
 * @param stateName the current state
 * @param rawInput the current state's input, before InputPath
 * @param effectiveInput the input after InputPath (and Parameters where the state uses them)
 * @param enteredEventId the id of the current state's Entered event
 * @param enteredTime when the current state was entered
 * @param stage where the current state stands
 * @param epoch changes whenever the frame moves on, so stale answers can be recognised
 * @param retryCounts how often each retrier of the current state has been used
 * @param lastEventId the last event this frame recorded (previousEventId of its next event)
 * @param fanout children bookkeeping while a Map or Parallel state runs them
 * @param quiet whether the frame's events stay out of the history (iterations of a Distributed Map
 *     run as a Map Run, whose iterations are not part of the parent's history)
 */
public record Frame(
    String id,
    @Nullable String parentId,
    Branch branch,
    int index,
    String stateName,
    JsonNode rawInput,
    JsonNode effectiveInput,
    long enteredEventId,
    Instant enteredTime,
    Stage stage,
    long epoch,
    List<Integer> retryCounts,
    long lastEventId,
    @Nullable Fanout fanout,
    boolean quiet,
    ObjectNode variables,
    @Nullable Heartbeat heartbeat,
    @Nullable Callback callback) {

  /** A frame with no heartbeat clock (every frame but a Task's that has HeartbeatSeconds). */
  public Frame(
      String id,
      @Nullable String parentId,
      Branch branch,
      int index,
      String stateName,
      JsonNode rawInput,
      JsonNode effectiveInput,
      long enteredEventId,
      Instant enteredTime,
      Stage stage,
      long epoch,
      List<Integer> retryCounts,
      long lastEventId,
      @Nullable Fanout fanout,
      boolean quiet,
      ObjectNode variables) {
    this(
        id,
        parentId,
        branch,
        index,
        stateName,
        rawInput,
        effectiveInput,
        enteredEventId,
        enteredTime,
        stage,
        epoch,
        retryCounts,
        lastEventId,
        fanout,
        quiet,
        variables,
        null,
        null);
  }

  /**
   * A running task's heartbeat clock: the task fails with {@code States.HeartbeatTimeout} when no
   * heartbeat comes within {@code seconds}. {@code due} is when the current period ends; null while
   * an activity waits for a worker (its clock starts when a worker takes it). A heartbeat moves
   * {@code due} without changing the frame's epoch, so a heartbeat timer that fires before {@code
   * due} is stale and ignored.
   */
  public record Heartbeat(int seconds, @Nullable Instant due) {}

  /**
   * A {@code .waitForTaskToken} task's callback while the frame waits for it: the task token handed
   * out for this attempt (in the context object as {@code $$.Task.Token}; the shell keeps it so
   * that SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat find the frame and its epoch), and
   * whether the service call that carried the token has answered (TaskSubmitted recorded). Cleared
   * with every change of stage, so a frame has a callback only while its Task waits for one.
   */
  public record Callback(String token, boolean submitted) {}

  Frame withCallback(@Nullable Callback value) {
    return new Frame(
        id,
        parentId,
        branch,
        index,
        stateName,
        rawInput,
        effectiveInput,
        enteredEventId,
        enteredTime,
        stage,
        epoch,
        retryCounts,
        lastEventId,
        fanout,
        quiet,
        variables,
        heartbeat,
        value);
  }

  Frame withHeartbeat(@Nullable Heartbeat value) {
    return new Frame(
        id,
        parentId,
        branch,
        index,
        stateName,
        rawInput,
        effectiveInput,
        enteredEventId,
        enteredTime,
        stage,
        epoch,
        retryCounts,
        lastEventId,
        fanout,
        quiet,
        variables,
        value,
        callback);
  }

  /** Where a frame's current state stands. */
  public enum Stage {
    /** The state was entered and is being evaluated. */
    ENTERED,
    /** A task was invoked; waiting for its answer. */
    TASK,
    /** A Wait state's timer is running. */
    WAITING,
    /** A retrier's interval is running. */
    RETRY_WAIT,
    /** A Map or Parallel state's children are running. */
    CHILDREN,
    /** A Distributed Map's Map Run is running in the shell. */
    MAP_RUN
  }

  /**
   * The children of a Map or Parallel state.
   *
   * @param inputs each child's input
   * @param results each finished child's output (null while not finished)
   * @param nextIndex the next child to start
   * @param running children started and not finished
   * @param failed children that failed
   * @param maxConcurrency at most this many at once, 0 for no limit
   * @param toleratedCount failures tolerated before the state fails (-1: not set)
   * @param toleratedPercentage the same as a percentage of all children (-1: not set)
   */
  public record Fanout(
      List<JsonNode> inputs,
      List<@Nullable JsonNode> results,
      int nextIndex,
      int running,
      int failed,
      int maxConcurrency,
      long toleratedCount,
      double toleratedPercentage) {}

  Frame withVariables(ObjectNode value) {
    return new Frame(
        id,
        parentId,
        branch,
        index,
        stateName,
        rawInput,
        effectiveInput,
        enteredEventId,
        enteredTime,
        stage,
        epoch,
        retryCounts,
        lastEventId,
        fanout,
        quiet,
        value,
        heartbeat,
        callback);
  }

  Frame withStage(Stage newStage) {
    return new Frame(
        id,
        parentId,
        branch,
        index,
        stateName,
        rawInput,
        effectiveInput,
        enteredEventId,
        enteredTime,
        newStage,
        epoch + 1,
        retryCounts,
        lastEventId,
        fanout,
        quiet,
        variables,
        null,
        null);
  }

  Frame withLastEvent(long eventId) {
    return new Frame(
        id,
        parentId,
        branch,
        index,
        stateName,
        rawInput,
        effectiveInput,
        enteredEventId,
        enteredTime,
        stage,
        epoch,
        retryCounts,
        eventId,
        fanout,
        quiet,
        variables,
        heartbeat,
        callback);
  }

  Frame withEffectiveInput(JsonNode value) {
    return new Frame(
        id,
        parentId,
        branch,
        index,
        stateName,
        rawInput,
        value,
        enteredEventId,
        enteredTime,
        stage,
        epoch,
        retryCounts,
        lastEventId,
        fanout,
        quiet,
        variables,
        heartbeat,
        callback);
  }

  Frame withRetryCounts(List<Integer> counts) {
    return new Frame(
        id,
        parentId,
        branch,
        index,
        stateName,
        rawInput,
        effectiveInput,
        enteredEventId,
        enteredTime,
        stage,
        epoch,
        counts,
        lastEventId,
        fanout,
        quiet,
        variables,
        heartbeat,
        callback);
  }

  Frame withFanout(@Nullable Fanout value) {
    return new Frame(
        id,
        parentId,
        branch,
        index,
        stateName,
        rawInput,
        effectiveInput,
        enteredEventId,
        enteredTime,
        stage,
        epoch,
        retryCounts,
        lastEventId,
        value,
        quiet,
        variables,
        heartbeat,
        callback);
  }
}
