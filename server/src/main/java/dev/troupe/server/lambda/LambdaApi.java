package dev.troupe.server.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.integrations.functions.FunctionName;
import dev.troupe.integrations.functions.Functions;
import dev.troupe.integrations.functions.Invocation;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Lambda's Invoke operation in its REST-JSON form: {@code POST
 * /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=...]}, the body is the event. {@code
 * X-Amz-Invocation-Type} RequestResponse (200, the payload as the body, {@code
 * X-Amz-Executed-Version}, {@code X-Amz-Function-Error} on a function error), Event (202, run once
 * in the background) or DryRun (204); {@code X-Amz-Log-Type: Tail} adds {@code X-Amz-Log-Result}
 * (the last 4 KB of a command's standard error, base64). Errors in Lambda's shape: the code in
 * {@code X-Amzn-ErrorType}, the body {@code {"Type", "message"}}.
 */
public final class LambdaApi {
  /** Where Lambda's 2015-03-31 API lives; the server routes every path under it here. */
  public static final String PREFIX = "/2015-03-31/functions";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Functions functions;

  public LambdaApi(Functions functions) {
    this.functions = functions;
  }

  /** An HTTP answer: status, headers, body. */
  public record Answer(int status, Map<String, String> headers, byte[] body) {}

  public static boolean handles(String rawPath) {
    return rawPath.equals(PREFIX) || rawPath.startsWith(PREFIX + "/");
  }

  /**
   * Answers one request under {@link #PREFIX}.
   *
   * @param headers the request's headers, names in lower case
   */
  public Answer handle(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body) {
    String rest = rawPath.substring(PREFIX.length());
    String suffix = "/invocations";
    if (!rest.startsWith("/") || !rest.endsWith(suffix) || rest.length() <= 1 + suffix.length()) {
      return error(
          404,
          "UnknownOperationException",
          "User",
          "Troupe serves Lambda's Invoke only (POST " + PREFIX + "/{FunctionName}/invocations)");
    }
    if (!method.equals("POST")) {
      return error(405, "UnknownOperationException", "User", "Invoke is POST, not " + method);
    }
    String name =
        URLDecoder.decode(
            rest.substring(1, rest.length() - suffix.length()), StandardCharsets.UTF_8);
    FunctionName ref;
    try {
      ref = FunctionName.parse(name);
    } catch (FunctionName.InvalidFunctionName e) {
      return error(400, "ValidationException", "User", String.valueOf(e.getMessage()));
    }
    String qualifier = query(rawQuery).get("Qualifier");
    if (qualifier != null && ref.qualifier() == null) {
      ref = new FunctionName(ref.region(), ref.account(), ref.name(), qualifier);
    }
    String type = first(headers, "x-amz-invocation-type", "RequestResponse");
    byte[] event = body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body;
    switch (type) {
      case "RequestResponse" -> {
        Invocation done = functions.invoke(ref, event);
        if (done instanceof Invocation.ServiceError e) {
          return error(e);
        }
        Invocation.Returned r = (Invocation.Returned) done;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-Amz-Executed-Version", "$LATEST");
        h.put("x-amzn-RequestId", r.requestId());
        if (r.functionError() != null) {
          h.put("X-Amz-Function-Error", r.functionError());
        }
        if (first(headers, "x-amz-log-type", "None").equals("Tail")) {
          h.put(
              "X-Amz-Log-Result",
              Base64.getEncoder().encodeToString(r.logTail().getBytes(StandardCharsets.UTF_8)));
        }
        return new Answer(200, h, r.payload());
      }
      case "Event" -> {
        Invocation done = functions.invokeLater(ref, event);
        if (done instanceof Invocation.ServiceError e) {
          return error(e);
        }
        return new Answer(202, Map.of("x-amzn-RequestId", done.requestId()), new byte[0]);
      }
      case "DryRun" -> {
        if (functions.find(ref).isEmpty()) {
          return error(functions.notFound(ref, UUID.randomUUID().toString()));
        }
        return new Answer(204, Map.of(), new byte[0]);
      }
      default -> {
        return error(
            400,
            "ValidationException",
            "User",
            "1 validation error detected: Value '"
                + type
                + "' at 'invocationType' failed to satisfy constraint: Member must satisfy enum"
                + " value set: [Event, RequestResponse, DryRun]");
      }
    }
  }

  private static Answer error(Invocation.ServiceError e) {
    Answer a = error(e.status(), e.code(), e.type(), e.message());
    Map<String, String> h = new LinkedHashMap<>(a.headers());
    h.put("x-amzn-RequestId", e.requestId());
    return new Answer(a.status(), h, a.body());
  }

  private static Answer error(int status, String code, String type, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("Type", type);
    body.put("message", message);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json");
    h.put("X-Amzn-ErrorType", code);
    try {
      return new Answer(status, h, JSON.writeValueAsBytes(body));
    } catch (IOException x) {
      throw new IllegalStateException(x);
    }
  }

  private static String first(Map<String, List<String>> headers, String name, String otherwise) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? otherwise : v.get(0);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.putIfAbsent(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }
}
