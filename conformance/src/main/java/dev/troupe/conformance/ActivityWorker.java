package dev.troupe.conformance;

import dev.troupe.asl.json.Json;
import dev.troupe.runtime.ActivityWorkers.Work;
import dev.troupe.runtime.TaskHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;

/**
 * A recorded case's activity worker played over the wire, on a virtual thread of its own: for each
 * task the recorded worker took, in order, it long-polls GetActivityTask (with the recorded worker
 * name), sends the recorded heartbeats, and answers with SendTaskSuccess or SendTaskFailure as
 * recorded, or never (a task left to time out). What the server records around these actions is
 * compared with the recording, as in process ({@link RecordedWorkers}).
 */
final class ActivityWorker {
  private final SfnClient sfn;
  private final String activityArn;
  private final List<Work> plays;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Thread thread;
  private volatile @Nullable String failure;

  private ActivityWorker(SfnClient sfn, String activityArn, List<Work> plays) {
    this.sfn = sfn;
    this.activityArn = activityArn;
    this.plays = List.copyOf(plays);
    this.thread = Thread.ofVirtual().name("troupe-conformance-worker").unstarted(this::play);
  }

  /** Starts playing {@code plays} against the activity. */
  static ActivityWorker start(SfnClient sfn, String activityArn, List<Work> plays) {
    ActivityWorker w = new ActivityWorker(sfn, activityArn, plays);
    w.thread.start();
    return w;
  }

  /**
   * Stops after the execution has ended: a worker still waiting in a poll is left to it (the poll
   * ends within the server's 60 s and the worker then stops). Returns what went wrong on the wire,
   * or null.
   */
  @Nullable String stop() throws InterruptedException {
    stopped.set(true);
    thread.join(Duration.ofSeconds(1));
    return failure;
  }

  private void play() {
    try {
      for (Work w : plays) {
        String token = take(w.workerName());
        if (token == null) {
          return;
        }
        long took = System.nanoTime();
        for (Duration at : w.heartbeats()) {
          sleepUntil(took, at);
          sfn.sendTaskHeartbeat(b -> b.taskToken(token));
        }
        TaskHandler.TaskOutcome answer = w.answer();
        if (answer == null) {
          continue; // never answered: the task times out
        }
        sleepUntil(took, w.answerAfter());
        switch (answer) {
          case TaskHandler.TaskOutcome.Succeeded s ->
              sfn.sendTaskSuccess(b -> b.taskToken(token).output(Json.write(s.output())));
          case TaskHandler.TaskOutcome.Failed f ->
              sfn.sendTaskFailure(b -> b.taskToken(token).error(f.error()).cause(f.cause()));
        }
      }
    } catch (SdkException e) {
      if (!stopped.get()) {
        failure = "the activity worker's call failed: " + e.getMessage();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next task's token, polling until one comes; null once stopped. */
  private @Nullable String take(@Nullable String workerName) {
    while (!stopped.get()) {
      GetActivityTaskResponse r =
          sfn.getActivityTask(b -> b.activityArn(activityArn).workerName(workerName));
      String token = r.taskToken();
      if (token != null && !token.isEmpty()) {
        return token;
      }
    }
    return null;
  }

  private static void sleepUntil(long startNanos, Duration after) throws InterruptedException {
    long left = startNanos + after.toNanos() - System.nanoTime();
    if (left > 0) {
      Thread.sleep(Duration.ofNanos(left));
    }
  }
}
