package dev.troupe.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.runtime.TaskHandler.TaskOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code arn:aws:states:::http:invoke}: calls an HTTP API with the JDK HTTP client. Parameters
 * {@code ApiEndpoint}, {@code Method}, {@code Headers}, {@code QueryParameters}, {@code
 * RequestBody} and {@code Transform} ({@code RequestBodyEncoding} NONE or URL_ENCODED, {@code
 * RequestEncodingOptions.ArrayFormat} INDICES, REPEAT, COMMAS or BRACKETS); the output is {@code
 * {Headers, ResponseBody, StatusCode, StatusText}}. A response other than 2xx fails the task with
 * {@code States.Http.StatusCode.NNN} (the cause is that output as JSON text); a connection that
 * fails or times out with {@code States.Http.Socket}. {@code Authentication} (an EventBridge
 * connection) is accepted and not applied yet.
 */
final class HttpTasks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");
  private static final Set<String> KEYS =
      Set.of(
          "ApiEndpoint",
          "Method",
          "Authentication",
          "Headers",
          "QueryParameters",
          "RequestBody",
          "Transform");

  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  /** The most of a response body read; Step Functions' payload limit is far below. */
  static final int MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

  private final HttpClient http;
  private final Duration requestTimeout;

  HttpTasks(HttpClient http, Duration requestTimeout) {
    this.http = http;
    this.requestTimeout = requestTimeout;
  }

  TaskOutcome invoke(JsonNode p) {
    if (!p.isObject()) {
      return invalid("The parameters of http:invoke must be an object, got " + p);
    }
    for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        return invalid(
            "The field '" + k + "' is not supported by http:invoke (expected one of " + KEYS + ")");
      }
    }
    JsonNode endpoint = p.get("ApiEndpoint");
    if (endpoint == null || !endpoint.isTextual()) {
      return invalid("The field 'ApiEndpoint' is required and must be a string");
    }
    JsonNode methodNode = p.get("Method");
    if (methodNode == null || !methodNode.isTextual()) {
      return invalid("The field 'Method' is required and must be a string");
    }
    String method = methodNode.asText().toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      return invalid(
          "The value of 'Method' must be one of GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD,"
              + " got '"
              + methodNode.asText()
              + "'");
    }
    String arrayFormat = "INDICES";
    boolean urlEncoded = false;
    JsonNode transform = p.get("Transform");
    if (transform != null) {
      if (!transform.isObject()) {
        return invalid("The field 'Transform' must be an object");
      }
      JsonNode enc = transform.get("RequestBodyEncoding");
      if (enc != null) {
        if (!enc.isTextual() || !Set.of("NONE", "URL_ENCODED").contains(enc.asText())) {
          return invalid("'Transform.RequestBodyEncoding' must be NONE or URL_ENCODED, got " + enc);
        }
        urlEncoded = enc.asText().equals("URL_ENCODED");
      }
      JsonNode opts = transform.get("RequestEncodingOptions");
      if (opts != null) {
        JsonNode af = opts.get("ArrayFormat");
        if (af != null) {
          if (!af.isTextual()
              || !Set.of("INDICES", "REPEAT", "COMMAS", "BRACKETS").contains(af.asText())) {
            return invalid(
                "'Transform.RequestEncodingOptions.ArrayFormat' must be INDICES, REPEAT, COMMAS"
                    + " or BRACKETS, got "
                    + af);
          }
          arrayFormat = af.asText();
        }
      }
    }
    URI uri;
    try {
      uri = new URI(endpoint.asText());
    } catch (URISyntaxException e) {
      return invalid("The 'ApiEndpoint' is not a URL: " + e.getMessage());
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      return invalid("The 'ApiEndpoint' must be an absolute http or https URL, got '" + uri + "'");
    }
    JsonNode query = p.get("QueryParameters");
    if (query != null) {
      if (!query.isObject()) {
        return invalid("The field 'QueryParameters' must be an object");
      }
      String q = formEncode(query, "REPEAT");
      if (!q.isEmpty()) {
        String s = uri.toString();
        String sep = uri.getRawQuery() == null ? "?" : "&";
        int hash = s.indexOf('#');
        s = hash < 0 ? s + sep + q : s.substring(0, hash) + sep + q + s.substring(hash);
        uri = URI.create(s);
      }
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(requestTimeout);
    boolean contentType = false;
    JsonNode headers = p.get("Headers");
    if (headers != null) {
      if (!headers.isObject()) {
        return invalid("The field 'Headers' must be an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> h = it.next();
        String name = h.getKey();
        if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
          return invalid("The header '" + name + "' cannot be set by an HTTP Task");
        }
        JsonNode v = h.getValue();
        if (v.isContainerNode() || v.isNull()) {
          return invalid("The value of header '" + name + "' must be a string, number or boolean");
        }
        try {
          req.header(name, v.asText());
        } catch (IllegalArgumentException e) {
          return invalid("The header '" + name + "' is not valid: " + e.getMessage());
        }
        contentType |= name.equalsIgnoreCase("Content-Type");
      }
    }
    JsonNode body = p.get("RequestBody");
    HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
    if (body != null) {
      String text;
      String type;
      if (urlEncoded) {
        if (!body.isObject()) {
          return invalid(
              "With RequestBodyEncoding URL_ENCODED the 'RequestBody' must be an object");
        }
        text = formEncode(body, arrayFormat);
        type = "application/x-www-form-urlencoded";
      } else if (body.isTextual()) {
        text = body.asText();
        type = "text/plain; charset=utf-8";
      } else {
        text = body.toString();
        type = "application/json";
      }
      if (!contentType) {
        req.header("Content-Type", type);
      }
      publisher = HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
    }
    req.method(method, publisher);
    HttpResponse<InputStream> res;
    byte[] bytes;
    try {
      res = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = res.body()) {
        bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
      }
    } catch (HttpTimeoutException e) {
      return new TaskOutcome.Failed(
          "States.Http.Socket", "The request to " + uri + " timed out: " + e.getMessage());
    } catch (IOException e) {
      return new TaskOutcome.Failed(
          "States.Http.Socket",
          "The request to "
              + uri
              + " failed: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TaskOutcome.Failed(
          "States.Http.Socket", "The request to " + uri + " was interrupted");
    }
    if (bytes.length > MAX_RESPONSE_BYTES) {
      return new TaskOutcome.Failed(
          "States.Http.Socket",
          "The response of " + uri + " is larger than " + MAX_RESPONSE_BYTES + " bytes");
    }
    ObjectNode out = JSON.createObjectNode();
    ObjectNode hs = out.putObject("Headers");
    new TreeMap<>(res.headers().map())
        .forEach(
            (k, vs) -> {
              if (!k.startsWith(":")) {
                var arr = hs.putArray(k);
                vs.forEach(arr::add);
              }
            });
    out.set("ResponseBody", responseBody(bytes));
    out.put("StatusCode", res.statusCode());
    out.put("StatusText", statusText(res.statusCode()));
    if (res.statusCode() / 100 != 2) {
      return new TaskOutcome.Failed("States.Http.StatusCode." + res.statusCode(), out.toString());
    }
    return new TaskOutcome.Succeeded(out);
  }

  private static JsonNode responseBody(byte[] bytes) {
    if (bytes.length > 0) {
      try {
        return JSON.readTree(bytes);
      } catch (IOException e) {
        // not JSON: the text itself
      }
    }
    return JSON.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * {@code application/x-www-form-urlencoded} text of an object: nested objects as {@code
   * key[member]}, arrays by {@code arrayFormat}.
   */
  static String formEncode(JsonNode object, String arrayFormat) {
    List<String> pairs = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      add(pairs, e.getKey(), e.getValue(), arrayFormat);
    }
    return String.join("&", pairs);
  }

  private static void add(List<String> pairs, String key, JsonNode v, String arrayFormat) {
    if (v.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        add(pairs, key + "[" + e.getKey() + "]", e.getValue(), arrayFormat);
      }
    } else if (v.isArray()) {
      if (arrayFormat.equals("COMMAS")) {
        List<String> items = new ArrayList<>();
        v.forEach(i -> items.add(scalar(i)));
        pairs.add(enc(key) + "=" + enc(String.join(",", items)));
        return;
      }
      for (int i = 0; i < v.size(); i++) {
        String k =
            switch (arrayFormat) {
              case "REPEAT" -> key;
              case "BRACKETS" -> key + "[]";
              default -> key + "[" + i + "]";
            };
        add(pairs, k, v.get(i), arrayFormat);
      }
    } else {
      pairs.add(enc(key) + "=" + enc(scalar(v)));
    }
  }

  private static String scalar(JsonNode v) {
    return v.isValueNode() && !v.isNull() ? v.asText() : v.isNull() ? "" : v.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static TaskOutcome invalid(String message) {
    return new TaskOutcome.Failed("States.Runtime", message);
  }

  /** The reason phrase of a status code (the JDK client does not expose the one received). */
  static String statusText(int code) {
    return switch (code) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 203 -> "Non-Authoritative Information";
      case 204 -> "No Content";
      case 205 -> "Reset Content";
      case 206 -> "Partial Content";
      case 300 -> "Multiple Choices";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 303 -> "See Other";
      case 304 -> "Not Modified";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 411 -> "Length Required";
      case 412 -> "Precondition Failed";
      case 413 -> "Payload Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Entity";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }
}
