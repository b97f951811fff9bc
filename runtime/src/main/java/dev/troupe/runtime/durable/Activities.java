package dev.troupe.runtime.durable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.interp.Command;
import dev.troupe.store.StoreException;
import dev.troupe.store.activity.ActivityStore;
import dev.troupe.store.activity.ActivityTask;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Activity tasks of the durable driver: what the activity workers' operations (GetActivityTask,
 * SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) do, over the store's {@link ActivityStore}.
 * The driver's dispatcher schedules a task (with a fresh task token) for each activity Task it
 * carries out ({@link #schedule}); a worker takes the oldest task, which delivers {@link
 * Command.ActivityStarted} to its execution; its answers deliver {@link Command.TaskSucceeded},
 * {@link Command.TaskFailed} or {@link Command.Heartbeat} for the task's frame and epoch. A task
 * whose frame has moved on (timed out, execution closed or stopped) is finished when it is met, and
 * its token then answers {@link Delivery#TASK_TIMED_OUT}.
 */
public final class Activities {
  /** The longest a GetActivityTask waits for a task (Step Functions holds a poll 60 seconds). */
  public static final Duration MAX_WAIT = Duration.ofSeconds(60);

  /** How often a waiting poll looks at the store anyway (tasks scheduled by another process). */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private static final byte TOKEN_VERSION = dev.troupe.asl.interp.TaskTokens.ACTIVITY_VERSION;
  private static final int TOKEN_RANDOM_BYTES = 32;

  private final ActivityStore store;
  private final DurableRuntime runtime;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition scheduled = lock.newCondition();
  private long generation;
  private volatile boolean closed;

  Activities(ActivityStore store, DurableRuntime runtime, Clock clock) {
    this.store = store;
    this.runtime = runtime;
    this.clock = clock;
  }

  /** What an answer to a task came to. */
  public enum Delivery {
    /** The execution took it. */
    DELIVERED,
    /** The task timed out, its execution closed, or it was answered already. */
    TASK_TIMED_OUT,
    /** The token is none that Troupe hands out. */
    INVALID_TOKEN
  }

  /** The store of activities and their tasks. */
  public ActivityStore store() {
    return store;
  }

  /** Whether an activity exists (the interpreter's {@code Activities} lookup). */
  boolean exists(String activityArn) {
    return store.activity(activityArn).isPresent();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** A fresh unguessable task token: a version byte and 32 random bytes, base64url. */
  private String newToken() {
    byte[] bytes = new byte[1 + TOKEN_RANDOM_BYTES];
    random.nextBytes(bytes);
    bytes[0] = TOKEN_VERSION;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether a token has the form of those handed out here (it may still be unknown). */
  static boolean wellFormed(String token) {
    return dev.troupe.asl.interp.TaskTokens.version(token) == TOKEN_VERSION;
  }

  /**
   * Schedules the task of an activity Task (the dispatcher, carrying out its outbox entry): at most
   * once per (execution, frame, epoch), so an entry carried out twice schedules once. Wakes the
   * workers waiting.
   */
  void schedule(String executionArn, String frameId, long epoch, String activityArn, String input) {
    store.schedule(
        ActivityTask.scheduled(
            newToken(), activityArn, executionArn, frameId, epoch, input, now()));
    wake();
  }

  /** Wakes the polls waiting, to look at the store again. */
  private void wake() {
    lock.lock();
    try {
      generation++;
      scheduled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * GetActivityTask: takes the oldest task of the activity for this worker, waiting up to {@code
   * wait} (at most {@link #MAX_WAIT}) for one to be scheduled. Taking a task delivers {@code
   * ActivityStarted} to its execution; a task whose execution is closed or whose frame moved on
   * (timed out before anyone took it) is finished and the next one taken. Empty when none came.
   */
  public Optional<ActivityTask> take(
      String activityArn, @Nullable String workerName, Duration wait) {
    long deadline = System.nanoTime() + (wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait).toNanos();
    while (!closed) {
      long seen;
      lock.lock();
      try {
        seen = generation;
      } finally {
        lock.unlock();
      }
      Optional<ActivityTask> taken = store.take(activityArn, workerName, now());
      if (taken.isPresent()) {
        ActivityTask task = taken.get();
        if (deliver(task, new Command.ActivityStarted(task.frameId(), task.epoch(), workerName))
            == DurableRuntime.Outcome.COMMITTED) {
          return taken;
        }
        store.finish(task.taskToken());
        continue;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      lock.lock();
      try {
        if (generation == seen && !closed) {
          scheduled.awaitNanos(Math.min(left, POLL_NANOS));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        lock.unlock();
      }
    }
    return Optional.empty();
  }

  /**
   * SendTaskSuccess: the task's Task state gets {@code output}; the task is finished. (Any task
   * token: {@link TaskAnswers} is the one lookup of both kinds.)
   */
  public Delivery succeed(String token, JsonNode output) {
    return runtime.taskAnswers().succeed(token, output);
  }

  /** SendTaskFailure: the task's Task state fails with {@code error} and {@code cause}. */
  public Delivery fail(String token, String error, String cause) {
    return runtime.taskAnswers().fail(token, error, cause);
  }

  /** SendTaskHeartbeat: the task's heartbeat period starts again. */
  public Delivery heartbeat(String token) {
    return runtime.taskAnswers().heartbeat(token);
  }

  private DurableRuntime.Outcome deliver(ActivityTask task, Command command) {
    try {
      return runtime.deliver(task.executionId(), command);
    } catch (StoreException e) {
      if (e.code().equals(StoreException.noSuchExecution(task.executionId()).code())) {
        return DurableRuntime.Outcome.NOT_RUNNING;
      }
      throw e;
    }
  }

  /** Ends the polls waiting (they answer no task), as the process stops. */
  public void close() {
    closed = true;
    wake();
  }
}
