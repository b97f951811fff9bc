package dev.troupe.runtime.durable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.interp.Command;
import dev.troupe.asl.interp.ExecutionState;
import dev.troupe.asl.interp.Frame;
import dev.troupe.asl.interp.TaskTokens;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.runtime.durable.Activities.Delivery;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.StoreException;
import dev.troupe.store.TaskToken;
import dev.troupe.store.activity.ActivityTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The answers to task tokens (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat), whichever kind
 * the token is: an activity task's (kept by the {@link Activities} store until it is answered or
 * met after its frame moved on) or a {@code .waitForTaskToken} task's (kept in the execution
 * store's task tokens: put by the commit that schedules the task, removed by the commit in which
 * its frame stops waiting). One lookup finds the token's execution, frame and epoch; the answer is
 * delivered there. A token whose delivery changes nothing (the task timed out, was answered, its
 * execution closed or was stopped) is retired and answers {@link Delivery#TASK_TIMED_OUT}, except a
 * heartbeat to a live task without HeartbeatSeconds; a token stored nowhere answers {@link
 * Delivery#TASK_TIMED_OUT} when it has the form of Troupe's tokens and {@link
 * Delivery#INVALID_TOKEN} otherwise.
 */
public final class TaskAnswers {
  private final DurableRuntime runtime;
  private final ExecutionStore store;

  TaskAnswers(DurableRuntime runtime, ExecutionStore store) {
    this.runtime = runtime;
    this.store = store;
  }

  /** SendTaskSuccess: the token's Task state gets {@code output}. */
  public Delivery succeed(String token, JsonNode output) {
    return answer(token, (frame, epoch) -> new Command.TaskSucceeded(frame, epoch, output), true);
  }

  /** SendTaskFailure: the token's Task state fails with {@code error} and {@code cause}. */
  public Delivery fail(String token, String error, String cause) {
    return answer(
        token, (frame, epoch) -> new Command.TaskFailed(frame, epoch, error, cause), true);
  }

  /** SendTaskHeartbeat: the token's task's heartbeat period starts again. */
  public Delivery heartbeat(String token) {
    return answer(token, Command.Heartbeat::new, false);
  }

  private Delivery answer(
      String token, BiFunction<String, Long, Command> command, boolean finishes) {
    Activities acts = runtime.activities().orElse(null);
    if (acts != null) {
      Optional<ActivityTask> task = acts.store().task(token);
      if (task.isPresent()) {
        ActivityTask t = task.get();
        return settle(
            t.executionId(),
            t.frameId(),
            t.epoch(),
            command,
            finishes,
            () -> acts.store().finish(token));
      }
    }
    Optional<TaskToken> callback = store.token(token);
    if (callback.isPresent()) {
      TaskToken t = callback.get();
      FrameKey key = FrameKey.parse(t.frameKey());
      return settle(
          t.executionId(),
          key.frameId(),
          key.epoch(),
          command,
          finishes,
          () -> store.deleteToken(token));
    }
    return TaskTokens.version(token) >= 0 ? Delivery.TASK_TIMED_OUT : Delivery.INVALID_TOKEN;
  }

  private Delivery settle(
      String executionId,
      String frameId,
      long epoch,
      BiFunction<String, Long, Command> command,
      boolean finishes,
      Runnable retire) {
    DurableRuntime.Outcome outcome = deliver(executionId, command.apply(frameId, epoch));
    if (outcome == DurableRuntime.Outcome.COMMITTED) {
      if (finishes) {
        retire.run();
      }
      return Delivery.DELIVERED;
    }
    // a heartbeat for a Task without HeartbeatSeconds changes nothing, yet the task is live
    if (!finishes
        && outcome == DurableRuntime.Outcome.NOTHING_TO_DO
        && runtime.waitsForTask(executionId, frameId, epoch)) {
      return Delivery.DELIVERED;
    }
    retire.run();
    return Delivery.TASK_TIMED_OUT;
  }

  private DurableRuntime.Outcome deliver(String executionId, Command command) {
    try {
      return runtime.deliver(executionId, command);
    } catch (StoreException e) {
      if (e.code().equals(StoreException.noSuchExecution(executionId).code())) {
        return DurableRuntime.Outcome.NOT_RUNNING;
      }
      throw e;
    }
  }

  /** A callback token's frame and epoch, as the store's {@code frame_key} holds them. */
  record FrameKey(String frameId, long epoch) {
    static FrameKey parse(String text) {
      int colon = text.indexOf(':');
      return new FrameKey(text.substring(colon + 1), Long.parseLong(text.substring(0, colon)));
    }

    String text() {
      return epoch + ":" + frameId;
    }
  }

  /** The callback tokens an execution's frames wait for: token to frame key. */
  static Map<String, String> waiting(ExecutionState state) {
    Map<String, String> out = new LinkedHashMap<>();
    if (state.status() != ExecutionStatus.RUNNING) {
      return out;
    }
    for (Frame f : state.frames()) {
      Frame.Callback cb = f.callback();
      if (cb != null && f.stage() == Frame.Stage.TASK) {
        out.put(cb.token(), new FrameKey(f.id(), f.epoch()).text());
      }
    }
    return out;
  }

  /** The tokens to put and to remove when an execution's frames go from {@code before} to after. */
  static Changes changes(
      String executionArn, Map<String, String> before, @Nullable Map<String, String> after) {
    List<TaskToken> put = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    Map<String, String> now = after == null ? Map.of() : after;
    now.forEach(
        (token, key) -> {
          if (!key.equals(before.get(token))) {
            put.add(new TaskToken(token, executionArn, key));
          }
        });
    before.forEach(
        (token, key) -> {
          if (!key.equals(now.get(token))) {
            removed.add(token);
          }
        });
    return new Changes(put, removed);
  }

  record Changes(List<TaskToken> put, List<String> removed) {
    boolean isEmpty() {
      return put.isEmpty() && removed.isEmpty();
    }
  }
}
