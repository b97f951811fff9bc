package dev.troupe.server.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.server.sqs.SqsApi;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code sqs:sendMessage} Task integration on Troupe's own queues: {@code
 * arn:aws:states:::sqs:sendMessage} and its callback form {@code .waitForTaskToken} (the message is
 * the submission; the task then waits for its token). Parameters are SendMessage's: {@code
 * QueueUrl}, {@code MessageBody} (a string is sent as it is, any other JSON value as its JSON
 * text), {@code DelaySeconds}, {@code MessageAttributes}, {@code MessageDeduplicationId}, {@code
 * MessageGroupId}. The result is SendMessage's answer as Step Functions outputs it ({@code
 * MD5OfMessageBody}, {@code MessageId}, {@code SdkHttpMetadata}, {@code SdkResponseMetadata}); a
 * refusal by the queue service fails the Task with {@code SQS.<Exception>} and the SDK's message
 * (e.g. {@code SQS.QueueDoesNotExistException} for a queue that does not exist). Every other
 * resource is handed to {@code otherwise}.
 */
public final class SqsTasks implements TaskHandler {
  public static final String SEND_MESSAGE = "arn:aws:states:::sqs:sendMessage";
  public static final String SEND_MESSAGE_CALLBACK = SEND_MESSAGE + ".waitForTaskToken";

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final SqsApi queues;
  private final Clock clock;
  private final TaskHandler otherwise;

  /** On the server's queue service (its SQS API, in process). */
  public SqsTasks(SqsApi queues, Clock clock, TaskHandler otherwise) {
    this.queues = queues;
    this.clock = clock;
    this.otherwise = otherwise;
  }

  @Override
  public TaskOutcome invoke(String resource, JsonNode parameters) {
    if (resource.equals(SEND_MESSAGE) || resource.equals(SEND_MESSAGE_CALLBACK)) {
      return sendMessage(parameters);
    }
    return otherwise.invoke(resource, parameters);
  }

  private TaskOutcome sendMessage(JsonNode parameters) {
    String requestId = UUID.randomUUID().toString();
    if (!(parameters instanceof ObjectNode given)) {
      return new TaskOutcome.Failed(
          "States.Runtime",
          "The Parameters of an sqs:sendMessage Task must be an object, got "
              + parameters.getNodeType());
    }
    ObjectNode request = given.deepCopy();
    JsonNode body = request.get("MessageBody");
    if (body != null && !body.isTextual() && !body.isNull()) {
      request.put("MessageBody", Json.write(body));
    }
    try {
      return new TaskOutcome.Succeeded(output(queues.sendMessage(request), requestId));
    } catch (ApiError e) {
      return failed(e, requestId);
    }
  }

  /** SendMessage's answer with the SDK's metadata, as Step Functions outputs it. */
  private ObjectNode output(ObjectNode answer, String requestId) {
    int length = Json.write(answer).getBytes(StandardCharsets.UTF_8).length;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amzn-RequestId", requestId);
    headers.put("connection", "keep-alive");
    headers.put("Content-Length", Integer.toString(length));
    headers.put("Date", HTTP_DATE.format(clock.instant()));
    headers.put("Content-Type", "application/x-amz-json-1.0");
    ObjectNode out = answer.deepCopy();
    ObjectNode meta = out.putObject("SdkHttpMetadata");
    ObjectNode all = meta.putObject("AllHttpHeaders");
    headers.forEach(
        (k, v) -> {
          ArrayNode values = all.putArray(k);
          values.add(v);
        });
    ObjectNode flat = meta.putObject("HttpHeaders");
    headers.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(String.CASE_INSENSITIVE_ORDER))
        .forEach(e -> flat.put(e.getKey(), e.getValue()));
    meta.put("HttpStatusCode", 200);
    out.putObject("SdkResponseMetadata").put("RequestId", requestId);
    return out;
  }

  /**
   * The queue service's refusal as Step Functions reports it: {@code SQS.} and the SDK's exception
   * name, the message with the service, status, error code and request id.
   */
  static TaskOutcome.Failed failed(ApiError e, String requestId) {
    String type = e.type();
    String shape = type.substring(type.indexOf('#') + 1);
    String exception = shape.endsWith("Exception") ? shape : shape + "Exception";
    String queryError = e.queryError();
    String code =
        queryError == null
            ? shape
            : queryError.substring(
                0, queryError.indexOf(';') < 0 ? queryError.length() : queryError.indexOf(';'));
    return new TaskOutcome.Failed(
        "SQS." + exception,
        e.getMessage()
            + " (Service: AmazonSQS; Status Code: "
            + e.status()
            + "; Error Code: "
            + code
            + "; Request ID: "
            + requestId
            + "; Proxy: null)");
  }
}
