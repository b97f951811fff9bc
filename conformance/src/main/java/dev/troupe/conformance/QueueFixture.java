package dev.troupe.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.TaskHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The token holder of a recorded callback case played over the wire, as the AWS test fixture did,
 * on a virtual thread of its own: for each callback task the recording scheduled, in order, it
 * receives the task's message from the case's queues (long polls), takes the task token from the
 * message's {@code TaskToken} field, deletes the message, and answers with SendTaskSuccess or
 * SendTaskFailure as the recording shows, or never (a task left to time out, or a message without a
 * token). The answers come from {@link RecordedServices#tokenAnswers()}, the same reading of the
 * recorded history as in process.
 */
final class QueueFixture {
  private final SqsClient sqs;
  private final SfnClient sfn;
  private final List<String> queueUrls;
  private final List<RecordedServices.TokenAnswer> answers;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Thread thread;
  private volatile @Nullable String failure;

  private QueueFixture(
      SqsClient sqs,
      SfnClient sfn,
      List<String> queueUrls,
      List<RecordedServices.TokenAnswer> answers) {
    this.sqs = sqs;
    this.sfn = sfn;
    this.queueUrls = List.copyOf(queueUrls);
    this.answers = List.copyOf(answers);
    this.thread = Thread.ofVirtual().name("troupe-conformance-fixture").unstarted(this::play);
  }

  /** Starts answering the tokens that arrive on {@code queueUrls}. */
  static QueueFixture start(
      SqsClient sqs,
      SfnClient sfn,
      List<String> queueUrls,
      List<RecordedServices.TokenAnswer> answers) {
    QueueFixture f = new QueueFixture(sqs, sfn, queueUrls, answers);
    f.thread.start();
    return f;
  }

  /**
   * Stops after the execution has ended (a poll under way ends within a second). Returns what went
   * wrong on the wire, or null.
   */
  @Nullable String stop() throws InterruptedException {
    stopped.set(true);
    thread.join(Duration.ofSeconds(3));
    return failure;
  }

  private void play() {
    try {
      for (RecordedServices.TokenAnswer a : answers) {
        Message m = take();
        if (m == null) {
          return;
        }
        String token = token(m.body());
        TaskHandler.TaskOutcome answer = a.answer();
        if (token == null || answer == null) {
          continue; // nobody can answer, or nobody did: the task times out
        }
        switch (answer) {
          case TaskHandler.TaskOutcome.Succeeded s ->
              sfn.sendTaskSuccess(b -> b.taskToken(token).output(Json.write(s.output())));
          case TaskHandler.TaskOutcome.Failed f ->
              sfn.sendTaskFailure(
                  b -> {
                    b.taskToken(token);
                    // a recorded failure without error or cause was sent without them
                    if (!f.error().isEmpty()) {
                      b.error(f.error());
                    }
                    if (!f.cause().isEmpty()) {
                      b.cause(f.cause());
                    }
                  });
        }
      }
    } catch (SdkException e) {
      if (!stopped.get()) {
        failure = "the token holder's call failed: " + e.getMessage();
      }
    }
  }

  /** The next message of any of the case's queues (deleted once taken); null once stopped. */
  private @Nullable Message take() {
    while (!stopped.get()) {
      for (String url : queueUrls) {
        List<Message> got =
            sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(1))
                .messages();
        if (!got.isEmpty()) {
          Message m = got.get(0);
          sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
          return m;
        }
      }
    }
    return null;
  }

  /** The {@code TaskToken} field of a JSON message body, at any depth; null when it has none. */
  static @Nullable String token(String body) {
    JsonNode parsed;
    try {
      parsed = Json.parse(body);
    } catch (IOException e) {
      return null;
    }
    return find(parsed);
  }

  private static @Nullable String find(JsonNode n) {
    if (n.isObject()) {
      JsonNode t = n.get("TaskToken");
      if (t != null && t.isTextual()) {
        return t.asText();
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        String found = find(it.next().getValue());
        if (found != null) {
          return found;
        }
      }
    } else if (n.isArray()) {
      for (JsonNode e : n) {
        String found = find(e);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
