package dev.troupe.server.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.integrations.functions.FunctionDefinition;
import dev.troupe.integrations.functions.FunctionName;
import dev.troupe.integrations.functions.Functions;
import dev.troupe.integrations.functions.FunctionsFile;
import dev.troupe.integrations.functions.Invocation;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Lambda's Invoke operation in its REST-JSON form (and the read-only GetFunction,
 * GetFunctionConfiguration and ListFunctions): {@code POST
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

  /**
   * Troupe's own call for registering functions: {@code PUT /troupe/functions/NAME} (an HTTP
   * endpoint function, the body an entry of the functions file without its name) and {@code DELETE
   * /troupe/functions/NAME}.
   */
  public static final String ADMIN = "/troupe/functions";

  public static boolean handles(String rawPath) {
    return rawPath.equals(PREFIX)
        || rawPath.startsWith(PREFIX + "/")
        || rawPath.startsWith(ADMIN + "/");
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
    if (rawPath.startsWith(ADMIN + "/")) {
      return admin(method, rawPath.substring(ADMIN.length() + 1), body);
    }
    String rest = rawPath.substring(PREFIX.length());
    if (method.equals("GET") && (rest.isEmpty() || rest.equals("/"))) {
      return listFunctions(query(rawQuery));
    }
    String[] parts = rest.isEmpty() ? new String[0] : rest.substring(1).split("/", -1);
    boolean invoke = parts.length == 2 && parts[1].equals("invocations") && method.equals("POST");
    boolean get = parts.length == 1 && method.equals("GET");
    boolean configuration =
        parts.length == 2 && parts[1].equals("configuration") && method.equals("GET");
    if (!invoke && !get && !configuration || parts[0].isEmpty()) {
      return error(
          501,
          "NotImplemented",
          "User",
          "Troupe does not serve the Lambda operation "
              + method
              + " "
              + rawPath
              + ": it serves Invoke, GetFunction, GetFunctionConfiguration and ListFunctions;"
              + " functions are registered with troupe server --functions FILE");
    }
    String name = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
    FunctionName ref;
    try {
      ref = FunctionName.parse(name);
    } catch (FunctionName.InvalidFunctionName e) {
      return error(400, "ValidationException", "User", String.valueOf(e.getMessage()));
    }
    if (get || configuration) {
      var found = functions.find(ref);
      if (found.isEmpty()) {
        return error(functions.notFound(ref, UUID.randomUUID().toString()));
      }
      ObjectNode config = configuration(found.get());
      if (configuration) {
        return json(200, config);
      }
      ObjectNode out = JSON.createObjectNode();
      out.set("Configuration", config);
      out.putObject("Tags");
      return json(200, out);
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

  private Answer admin(String method, String rawName, byte[] body) {
    String name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
    if (name.isEmpty() || name.contains("/")) {
      return error(404, "UnknownOperationException", "User", "Expected " + ADMIN + "/NAME");
    }
    try {
      switch (method) {
        case "PUT" -> {
          JsonNode definition;
          try {
            definition = JSON.readTree(body);
          } catch (IOException e) {
            definition = null;
          }
          if (definition == null || !definition.isObject()) {
            return error(
                400,
                "InvalidRequestContentException",
                "User",
                "The body must be a JSON object: the function's url, headers and timeoutSeconds");
          }
          return json(200, configuration(functions.register(name, definition)));
        }
        case "DELETE" -> {
          if (!functions.unregister(name)) {
            return error(
                functions.notFound(
                    new FunctionName(null, null, name, null), UUID.randomUUID().toString()));
          }
          return new Answer(204, Map.of(), new byte[0]);
        }
        default -> {
          return error(
              405, "UnknownOperationException", "User", "Use PUT or DELETE on " + ADMIN + "/NAME");
        }
      }
    } catch (FunctionsFile.InvalidFunctionsFile e) {
      return error(
          400,
          "InvalidParameterValueException",
          "User",
          "The function " + name + " cannot be registered: " + e.getMessage());
    } catch (Functions.FileDefined e) {
      return error(409, "ResourceConflictException", "User", String.valueOf(e.getMessage()));
    }
  }

  /** ListFunctions: the registered functions by name, {@code MaxItems} (1 to 10000, 50) a page. */
  private Answer listFunctions(Map<String, String> query) {
    int max = 50;
    String maxText = query.get("MaxItems");
    if (maxText != null) {
      try {
        max = Integer.parseInt(maxText);
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 1 || max > 10000) {
        return error(
            400,
            "InvalidParameterValueException",
            "User",
            "MaxItems must be from 1 to 10000, got '" + maxText + "'");
      }
    }
    String marker = query.get("Marker");
    List<FunctionDefinition> all =
        functions.all().stream().sorted(Comparator.comparing(FunctionDefinition::name)).toList();
    ObjectNode out = JSON.createObjectNode();
    ArrayNode page = out.putArray("Functions");
    String last = null;
    boolean more = false;
    for (FunctionDefinition f : all) {
      if (marker != null && f.name().compareTo(marker) <= 0) {
        continue;
      }
      if (page.size() == max) {
        more = true;
        break;
      }
      page.add(configuration(f));
      last = f.name();
    }
    if (more && last != null) {
      out.put("NextMarker", last);
    }
    return json(200, out);
  }

  /** A function's configuration in Lambda's FunctionConfiguration shape. */
  private ObjectNode configuration(FunctionDefinition f) {
    ObjectNode c = JSON.createObjectNode();
    c.put("FunctionName", f.name());
    c.put("FunctionArn", functions.arn(new FunctionName(null, null, f.name(), null)));
    c.put("Timeout", f.timeout().toSeconds());
    c.put("Version", "$LATEST");
    c.put("State", "Active");
    c.put("LastUpdateStatus", "Successful");
    switch (f.runs()) {
      case FunctionDefinition.Endpoint e -> c.put("Description", "HTTP endpoint " + e.url());
      case FunctionDefinition.Command cmd -> {
        c.put("Description", "command " + String.join(" ", cmd.argv()));
        ObjectNode vars = c.putObject("Environment").putObject("Variables");
        cmd.environment().forEach(vars::put);
      }
    }
    return c;
  }

  private static Answer json(int status, ObjectNode body) {
    try {
      return new Answer(
          status, Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(body));
    } catch (IOException x) {
      throw new IllegalStateException(x);
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
