package dev.troupe.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.integrations.functions.FunctionName;
import dev.troupe.integrations.functions.Functions;
import dev.troupe.integrations.functions.Invocation;
import dev.troupe.runtime.TaskHandler.TaskOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Step Functions' Lambda integrations over {@link Functions}: {@code
 * arn:aws:states:::lambda:invoke} (the output is Invoke's response: {@code ExecutedVersion}, {@code
 * Payload}, {@code SdkHttpMetadata}, {@code SdkResponseMetadata}, {@code StatusCode}) and a
 * function ARN as the Resource (the state's input or Parameters is the event and the output is the
 * payload itself).
 *
 * <p>Errors as Step Functions reports them: a function's error object gives its {@code errorType}
 * as the error and the object's JSON text as the cause; an error without a type is {@code
 * Lambda.Unknown}; Lambda's own errors are {@code Lambda.<ErrorCode>} (e.g. {@code
 * Lambda.ResourceNotFoundException}) with the cause the Java SDK would print.
 */
final class LambdaTasks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final Functions functions;
  private final Clock clock;

  LambdaTasks(Functions functions, Clock clock) {
    this.functions = functions;
    this.clock = clock;
  }

  /** {@code arn:aws:states:::lambda:invoke}. */
  TaskOutcome invoke(JsonNode parameters) {
    if (!parameters.isObject()) {
      return invalid("The parameters of lambda:invoke must be an object, got " + parameters);
    }
    JsonNode fn = parameters.get("FunctionName");
    if (fn == null || !fn.isTextual()) {
      return invalid(
          "The field 'FunctionName' is required and must be a string"
              + (fn == null ? "" : ", got " + fn));
    }
    FunctionName ref;
    try {
      ref = FunctionName.parse(fn.asText());
    } catch (FunctionName.InvalidFunctionName e) {
      return sdkError(
          400, "ValidationException", String.valueOf(e.getMessage()), UUID.randomUUID().toString());
    }
    JsonNode qualifier = parameters.get("Qualifier");
    if (qualifier != null && qualifier.isTextual() && ref.qualifier() == null) {
      ref = new FunctionName(ref.region(), ref.account(), ref.name(), qualifier.asText());
    }
    JsonNode typeNode = parameters.get("InvocationType");
    String type = typeNode == null || typeNode.isNull() ? "RequestResponse" : typeNode.asText();
    JsonNode payload = parameters.get("Payload");
    byte[] event = payload == null ? "{}".getBytes(StandardCharsets.UTF_8) : bytes(payload);
    switch (type) {
      case "RequestResponse" -> {
        Invocation done = functions.invoke(ref, event);
        return switch (done) {
          case Invocation.ServiceError e -> serviceError(e);
          case Invocation.Returned r when r.functionError() != null -> functionError(r);
          case Invocation.Returned r -> new TaskOutcome.Succeeded(response(r, 200, true));
        };
      }
      case "Event" -> {
        Invocation done = functions.invokeLater(ref, event);
        return switch (done) {
          case Invocation.ServiceError e -> serviceError(e);
          case Invocation.Returned r -> new TaskOutcome.Succeeded(response(r, 202, false));
        };
      }
      case "DryRun" -> {
        String requestId = UUID.randomUUID().toString();
        if (functions.find(ref).isEmpty()) {
          return serviceError(functions.notFound(ref, requestId));
        }
        return new TaskOutcome.Succeeded(
            response(new Invocation.Returned(requestId, new byte[0], null, ""), 204, false));
      }
      default -> {
        return sdkError(
            400,
            "ValidationException",
            "1 validation error detected: Value '"
                + type
                + "' at 'invocationType' failed to satisfy constraint: Member must satisfy enum"
                + " value set: [Event, RequestResponse, DryRun]",
            UUID.randomUUID().toString());
      }
    }
  }

  /** A function ARN as the Resource: the parameters are the event, the payload is the output. */
  TaskOutcome direct(String arn, JsonNode parameters) {
    FunctionName ref = FunctionName.parse(arn);
    Invocation done = functions.invoke(ref, bytes(parameters));
    return switch (done) {
      case Invocation.ServiceError e -> serviceError(e);
      case Invocation.Returned r when r.functionError() != null -> functionError(r);
      case Invocation.Returned r -> new TaskOutcome.Succeeded(payloadValue(r.payload()));
    };
  }

  private static TaskOutcome functionError(Invocation.Returned r) {
    JsonNode err = Functions.parse(r.payload());
    JsonNode type = err == null ? null : err.get("errorType");
    if (type != null && type.isTextual() && !type.asText().isEmpty()) {
      return new TaskOutcome.Failed(type.asText(), r.payloadText());
    }
    return new TaskOutcome.Failed(
        "Lambda.Unknown",
        "The cause could not be determined because Lambda did not return an error type."
            + " Returned payload: "
            + r.payloadText());
  }

  private static TaskOutcome serviceError(Invocation.ServiceError e) {
    return sdkError(e.status(), e.code(), e.message(), e.requestId());
  }

  /** Lambda's API error as Step Functions reports it: the error code and the SDK's message. */
  private static TaskOutcome sdkError(int status, String code, String message, String requestId) {
    String error =
        switch (code) {
          case "ValidationException" -> "Lambda.AWSLambdaException";
          default -> "Lambda." + code;
        };
    return new TaskOutcome.Failed(
        error,
        message
            + " (Service: AWSLambda; Status Code: "
            + status
            + "; Error Code: "
            + code
            + "; Request ID: "
            + requestId
            + "; Proxy: null)");
  }

  private static TaskOutcome invalid(String message) {
    return new TaskOutcome.Failed("States.Runtime", message);
  }

  /** Invoke's response as lambda:invoke outputs it. */
  private ObjectNode response(Invocation.Returned r, int status, boolean withVersion) {
    ObjectNode out = JSON.createObjectNode();
    Map<String, String> headers = new LinkedHashMap<>();
    if (withVersion) {
      headers.put("X-Amz-Executed-Version", "$LATEST");
    }
    headers.put("x-amzn-Remapped-Content-Length", "0");
    headers.put("Connection", "keep-alive");
    headers.put("x-amzn-RequestId", r.requestId());
    headers.put("Content-Length", Integer.toString(r.payload().length));
    headers.put("Date", HTTP_DATE.format(clock.instant()));
    headers.put("X-Amzn-Trace-Id", traceId(r.requestId()));
    headers.put("Content-Type", "application/json");
    if (withVersion) {
      out.put("ExecutedVersion", "$LATEST");
    }
    out.set(
        "Payload", status == 200 ? payloadValue(r.payload()) : JSON.getNodeFactory().textNode(""));
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
    meta.put("HttpStatusCode", status);
    out.putObject("SdkResponseMetadata").put("RequestId", r.requestId());
    out.put("StatusCode", status);
    return out;
  }

  private String traceId(String requestId) {
    String id = requestId.replace("-", "");
    return "root=1-"
        + String.format(java.util.Locale.ROOT, "%08x", clock.instant().getEpochSecond())
        + "-"
        + id.substring(0, 24)
        + ";sampled=0";
  }

  /** A payload as the output carries it: its JSON value, or its text when it is not JSON. */
  private static JsonNode payloadValue(byte[] payload) {
    JsonNode n = Functions.parse(payload);
    return n != null
        ? n
        : JSON.getNodeFactory().textNode(new String(payload, StandardCharsets.UTF_8));
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
