package dev.troupe.server.events;

import dev.troupe.integrations.functions.FunctionName;
import dev.troupe.integrations.functions.Functions;
import dev.troupe.runtime.bus.TargetPort;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.server.sfn.StepFunctionsService;
import java.util.Map;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * How the bus reaches this server: a state machine ARN starts an execution (named by the delivery's
 * idempotency name, so a redelivered event finds its execution started and starts no second one); a
 * CloudWatch Logs group ARN writes the body to the server log (logger {@code troupe.events.logs},
 * one line per event, naming the group); a queue ARN sends through the queue service, when the
 * server has one.
 */
public final class ServerTargets implements TargetPort {
  private static final Logger LOGS = Logger.getLogger("troupe.events.logs");

  /** Sends a message to one of this server's queues by ARN. */
  @FunctionalInterface
  public interface QueueSender {
    void send(String queueArn, String body, Map<String, String> attributes);
  }

  /** No queue service: every queue ARN names a queue that does not exist. */
  public static final QueueSender NO_QUEUES =
      (arn, body, attributes) -> {
        throw new ApiError(
            "AWS.SimpleQueueService.NonExistentQueue",
            "The specified queue does not exist: " + arn,
            400);
      };

  private final StepFunctionsService sfn;
  private final QueueSender queues;
  private final @Nullable Functions functions;

  public ServerTargets(StepFunctionsService sfn, QueueSender queues) {
    this(sfn, queues, null);
  }

  public ServerTargets(
      StepFunctionsService sfn, QueueSender queues, @Nullable Functions functions) {
    this.sfn = sfn;
    this.queues = queues;
    this.functions = functions;
  }

  @Override
  public void invoke(TargetPort.Invocation i) {
    String arn = i.targetArn();
    String service = service(arn);
    switch (service == null ? "" : service) {
      case "states" -> startExecution(i);
      case "sqs" -> send(arn, i.body(), Map.of());
      case "logs" -> LOGS.info(() -> logGroup(arn) + " " + i.eventId() + " " + i.body());
      case "lambda" -> invokeFunction(i);
      default ->
          throw new TargetFailure(
              "InvalidTarget", "Troupe does not deliver to targets like " + arn, false);
    }
  }

  private void startExecution(TargetPort.Invocation i) {
    try {
      sfn.startExecution(i.targetArn(), i.idempotencyName(), i.body());
    } catch (ApiError e) {
      switch (e.code()) {
        // started by an earlier attempt of this delivery and since finished: delivered already
        case "ExecutionAlreadyExists" -> {}
        case "StateMachineDoesNotExist",
            "InvalidExecutionInput",
            "InvalidArn",
            "InvalidName",
            "StateMachineTypeNotSupported",
            "ValidationException" ->
            throw new TargetFailure(e.code(), String.valueOf(e.getMessage()), false);
        default -> throw new TargetFailure(e.code(), String.valueOf(e.getMessage()), true);
      }
    }
  }

  private void invokeFunction(TargetPort.Invocation i) {
    Functions fs = functions;
    FunctionName ref;
    try {
      ref = FunctionName.parse(i.targetArn());
    } catch (FunctionName.InvalidFunctionName e) {
      throw new TargetFailure(
          "InvalidParameterValueException", String.valueOf(e.getMessage()), false);
    }
    if (fs == null) {
      throw new TargetFailure(
          "ResourceNotFoundException", "Function not found: " + i.targetArn(), false);
    }
    dev.troupe.integrations.functions.Invocation answer =
        fs.invokeLater(ref, i.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (answer instanceof dev.troupe.integrations.functions.Invocation.ServiceError e) {
      throw new TargetFailure(e.code(), e.message(), e.status() >= 500);
    }
  }

  @Override
  public void deadLetter(String queueArn, String body, Map<String, String> attributes) {
    send(queueArn, body, attributes);
  }

  private void send(String queueArn, String body, Map<String, String> attributes) {
    try {
      queues.send(queueArn, body, attributes);
    } catch (ApiError e) {
      boolean missing = e.code().contains("NonExistentQueue") || e.code().contains("DoesNotExist");
      throw new TargetFailure(e.code(), String.valueOf(e.getMessage()), !missing);
    }
  }

  /** The service part of an ARN ({@code arn:aws:SERVICE:...}). */
  static @Nullable String service(String arn) {
    String[] parts = arn.split(":", 4);
    return parts.length >= 4 && parts[0].equals("arn") ? parts[2] : null;
  }

  static String logGroup(String arn) {
    int at = arn.indexOf(":log-group:");
    String group = at < 0 ? arn : arn.substring(at + ":log-group:".length());
    return group.endsWith(":*") ? group.substring(0, group.length() - 2) : group;
  }
}
