package dev.troupe.integrations.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.store.function.FunctionStore;
import dev.troupe.store.function.StoredFunction;
import dev.troupe.store.memory.InMemoryFunctionStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The registered functions of one server and the invoking of them, synchronously (RequestResponse)
 * or once in the background (Event). Results and errors have Lambda's shapes: a handler's error
 * object, {@code Sandbox.Timedout} when the function's timeout passes, {@code Runtime.ExitError}
 * when a command exits non-zero without writing an error object, {@code ResourceNotFoundException}
 * for a function that is not registered.
 */
public final class Functions implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Functions.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Lambda's largest synchronous response payload. */
  public static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

  private static final int LOG_TAIL_BYTES = 4096;

  private final String region;
  private final String account;
  private final Map<String, FunctionDefinition> byName;
  private final HttpClient http;
  private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

  private final FunctionStore registered;
  private final Clock clock;

  /** The functions of a file only; none can be registered through the API. */
  public Functions(String region, String account, List<FunctionDefinition> functions) {
    this(region, account, functions, new InMemoryFunctionStore(), Clock.systemUTC());
  }

  /**
   * The functions of the file ({@code functions}, fixed) and those registered through the API, kept
   * in {@code registered} (read at each lookup, so that every node sharing the store sees them).
   */
  public Functions(
      String region,
      String account,
      List<FunctionDefinition> functions,
      FunctionStore registered,
      Clock clock) {
    this.region = region;
    this.account = account;
    this.registered = registered;
    this.clock = clock;
    Map<String, FunctionDefinition> m = new LinkedHashMap<>();
    for (FunctionDefinition f : functions) {
      if (m.put(f.name(), f) != null) {
        throw new IllegalArgumentException("the function '" + f.name() + "' is defined twice");
      }
    }
    this.byName = Map.copyOf(m);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** No functions: every invocation answers ResourceNotFoundException. */
  public static Functions none(String region, String account) {
    return new Functions(region, account, List.of());
  }

  public String region() {
    return region;
  }

  public String account() {
    return account;
  }

  /** Every function: the file's and those registered through the API, by name. */
  public List<FunctionDefinition> all() {
    java.util.TreeMap<String, FunctionDefinition> all = new java.util.TreeMap<>(byName);
    for (StoredFunction f : registered.all()) {
      stored(f).ifPresent(d -> all.putIfAbsent(d.name(), d));
    }
    return List.copyOf(all.values());
  }

  /** A name the functions file defines cannot be registered or removed through the API. */
  public static final class FileDefined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FileDefined(String name) {
      super(
          "The function "
              + name
              + " is defined by the server's functions file and cannot be changed through the API");
    }
  }

  /**
   * Registers (or replaces) an HTTP endpoint function through the API, kept in the store; {@link
   * FunctionsFile.InvalidFunctionsFile} for a bad definition, {@link FileDefined} for a name of the
   * file.
   */
  public FunctionDefinition register(String name, JsonNode definition) {
    if (byName.containsKey(name)) {
      throw new FileDefined(name);
    }
    FunctionDefinition f = FunctionsFile.endpoint(name, definition);
    registered.put(new StoredFunction(name, definition.toString(), clock.instant()));
    return f;
  }

  /** Removes a function registered through the API; false if there was none of that name. */
  public boolean unregister(String name) {
    if (byName.containsKey(name)) {
      throw new FileDefined(name);
    }
    return registered.delete(name);
  }

  private Optional<FunctionDefinition> stored(StoredFunction f) {
    try {
      return Optional.of(FunctionsFile.endpoint(f.name(), JSON.readTree(f.definition())));
    } catch (IOException | RuntimeException e) {
      LOG.warning(() -> "the stored function " + f.name() + " cannot be used: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The function {@code ref} names, if registered here (its region and account must be ours). */
  public Optional<FunctionDefinition> find(FunctionName ref) {
    if (ref.region() != null && !ref.region().equals(region)
        || ref.account() != null && !ref.account().equals(account)) {
      return Optional.empty();
    }
    FunctionDefinition fixed = byName.get(ref.name());
    if (fixed != null) {
      return Optional.of(fixed);
    }
    return registered.function(ref.name()).flatMap(this::stored);
  }

  /** The ARN of the function {@code ref} names, unqualified, in its region and account. */
  public String arn(FunctionName ref) {
    return "arn:aws:lambda:"
        + (ref.region() == null ? region : ref.region())
        + ":"
        + (ref.account() == null ? account : ref.account())
        + ":function:"
        + ref.name();
  }

  /** Lambda's ResourceNotFoundException for {@code ref}, naming its version as Lambda does. */
  public Invocation.ServiceError notFound(FunctionName ref, String requestId) {
    return new Invocation.ServiceError(
        requestId,
        404,
        "ResourceNotFoundException",
        "User",
        "Function not found: "
            + arn(ref)
            + ":"
            + (ref.qualifier() == null ? "$LATEST" : ref.qualifier()));
  }

  /** Invokes the function {@code ref} names with {@code event} and waits for its answer. */
  public Invocation invoke(FunctionName ref, byte[] event) {
    String requestId = UUID.randomUUID().toString();
    Optional<FunctionDefinition> f = find(ref);
    if (f.isEmpty()) {
      return notFound(ref, requestId);
    }
    return run(f.get(), event, requestId);
  }

  /**
   * Accepts an asynchronous (Event) invocation: runs it once in the background and answers at once
   * with its request id, or with ResourceNotFoundException. Retries and destinations are not there
   * yet: a failed asynchronous invocation is logged.
   */
  public Invocation invokeLater(FunctionName ref, byte[] event) {
    String requestId = UUID.randomUUID().toString();
    Optional<FunctionDefinition> f = find(ref);
    if (f.isEmpty()) {
      return notFound(ref, requestId);
    }
    background.submit(
        () -> {
          Invocation done = run(f.get(), event, requestId);
          if (done instanceof Invocation.Returned r && r.functionError() != null) {
            LOG.warning(
                () ->
                    "asynchronous invocation "
                        + requestId
                        + " of "
                        + ref.name()
                        + " failed: "
                        + r.payloadText());
          } else if (done instanceof Invocation.ServiceError e) {
            LOG.warning(() -> "asynchronous invocation " + requestId + " failed: " + e.message());
          }
        });
    return new Invocation.Returned(requestId, new byte[0], null, "");
  }

  private Invocation run(FunctionDefinition f, byte[] event, String requestId) {
    return switch (f.runs()) {
      case FunctionDefinition.Endpoint e -> post(f, e, event, requestId);
      case FunctionDefinition.Command c -> exec(f, c, event, requestId);
    };
  }

  // ---- HTTP endpoints

  private Invocation post(
      FunctionDefinition f, FunctionDefinition.Endpoint e, byte[] event, String requestId) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(e.url())
            .timeout(f.timeout())
            .header("Content-Type", "application/json")
            .header("Lambda-Runtime-Aws-Request-Id", requestId)
            .header(
                "Lambda-Runtime-Invoked-Function-Arn",
                arn(new FunctionName(null, null, f.name(), null)))
            .POST(HttpRequest.BodyPublishers.ofByteArray(event));
    e.headers().forEach(req::header);
    HttpResponse<InputStream> res;
    try {
      res = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException x) {
      return timedOut(f, requestId, "");
    } catch (IOException x) {
      return new Invocation.ServiceError(
          requestId,
          500,
          "ServiceException",
          "Service",
          "The function "
              + f.name()
              + " could not be reached at "
              + e.url()
              + ": "
              + (x.getMessage() == null ? x.getClass().getSimpleName() : x.getMessage()));
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      return new Invocation.ServiceError(
          requestId, 500, "ServiceException", "Service", "Troupe is stopping");
    }
    byte[] body;
    try (InputStream in = res.body()) {
      body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
    } catch (IOException x) {
      if (x instanceof HttpTimeoutException) {
        return timedOut(f, requestId, "");
      }
      return new Invocation.ServiceError(
          requestId,
          500,
          "ServiceException",
          "Service",
          "The response of the function " + f.name() + " could not be read: " + x.getMessage());
    }
    if (body.length > MAX_RESPONSE_BYTES) {
      return tooLarge(requestId, "");
    }
    boolean ok = res.statusCode() / 100 == 2;
    boolean flagged = res.headers().firstValue("X-Amz-Function-Error").isPresent();
    JsonNode parsed = parse(body);
    if (ok && !flagged && !isErrorShape(parsed)) {
      return new Invocation.Returned(
          requestId, body.length == 0 ? "null".getBytes(StandardCharsets.UTF_8) : body, null, "");
    }
    if (isErrorShape(parsed) || (flagged && parsed != null)) {
      return new Invocation.Returned(requestId, body, "Unhandled", "");
    }
    // the endpoint failed without an error object: Lambda's unhandled error without an errorType
    ObjectNode err = JSON.createObjectNode();
    err.put(
        "errorMessage",
        "RequestId: "
            + requestId
            + " Error: the function's endpoint answered HTTP "
            + res.statusCode()
            + (ok ? " flagged with X-Amz-Function-Error" : "")
            + (body.length == 0 ? "" : ": " + snippet(body)));
    return new Invocation.Returned(requestId, bytes(err), "Unhandled", "");
  }

  // ---- local commands

  private Invocation exec(
      FunctionDefinition f, FunctionDefinition.Command c, byte[] event, String requestId) {
    ProcessBuilder pb = new ProcessBuilder(c.argv()).directory(c.directory().toFile());
    Map<String, String> env = pb.environment();
    env.put("AWS_LAMBDA_FUNCTION_NAME", f.name());
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Long.toString(f.timeout().toSeconds()));
    env.put("AWS_REGION", region);
    env.put("AWS_DEFAULT_REGION", region);
    env.put("AWS_LAMBDA_REQUEST_ID", requestId);
    env.putAll(c.environment());
    Process p;
    try {
      p = pb.start();
    } catch (IOException x) {
      return new Invocation.ServiceError(
          requestId,
          500,
          "ServiceException",
          "Service",
          "The command of the function " + f.name() + " could not be started: " + x.getMessage());
    }
    try {
      Future<?> in =
          background.submit(
              () -> {
                try (OutputStream os = p.getOutputStream()) {
                  os.write(event);
                } catch (IOException ignored) {
                  // a command that does not read its input closes the pipe: that is its business
                }
                return null;
              });
      Future<byte[]> out =
          background.submit(
              () -> {
                try (InputStream is = p.getInputStream()) {
                  byte[] b = is.readNBytes(MAX_RESPONSE_BYTES + 1);
                  is.transferTo(OutputStream.nullOutputStream());
                  return b;
                }
              });
      Future<String> err = background.submit(() -> tail(p.getErrorStream()));
      boolean exited = p.waitFor(f.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        return timedOut(f, requestId, quietly(err, ""));
      }
      in.cancel(true);
      byte[] stdout = quietly(out, new byte[0]);
      String log = quietly(err, "");
      if (!log.isEmpty()) {
        LOG.fine(() -> "function " + f.name() + " request " + requestId + ": " + log);
      }
      if (stdout.length > MAX_RESPONSE_BYTES) {
        return tooLarge(requestId, log);
      }
      JsonNode parsed = parse(stdout);
      int exit = p.exitValue();
      if (exit == 0) {
        if (stdout.length == 0 || isBlank(stdout)) {
          return new Invocation.Returned(
              requestId, "null".getBytes(StandardCharsets.UTF_8), null, log);
        }
        if (parsed == null) {
          ObjectNode e = JSON.createObjectNode();
          e.put(
              "errorMessage",
              "Unable to marshal response: the command's standard output is not JSON: "
                  + snippet(stdout));
          e.put("errorType", "Runtime.MarshalError");
          e.put("requestId", requestId);
          return new Invocation.Returned(requestId, bytes(e), "Unhandled", log);
        }
        return new Invocation.Returned(requestId, stdout, null, log);
      }
      if (parsed != null && isErrorShape(parsed)) {
        return new Invocation.Returned(requestId, stdout, "Unhandled", log);
      }
      ObjectNode e = JSON.createObjectNode();
      e.put(
          "errorMessage",
          "RequestId: " + requestId + " Error: Runtime exited with error: exit status " + exit);
      e.put("errorType", "Runtime.ExitError");
      return new Invocation.Returned(requestId, bytes(e), "Unhandled", log);
    } catch (InterruptedException x) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Invocation.ServiceError(
          requestId, 500, "ServiceException", "Service", "Troupe is stopping");
    }
  }

  private static String tail(InputStream is) throws IOException {
    ByteArrayOutputStream keep = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    byte[] last = new byte[0];
    try (is) {
      int n;
      while ((n = is.read(buf)) > 0) {
        keep.write(buf, 0, n);
        if (keep.size() > 4 * LOG_TAIL_BYTES) {
          byte[] all = keep.toByteArray();
          last = java.util.Arrays.copyOfRange(all, all.length - LOG_TAIL_BYTES, all.length);
          keep.reset();
          keep.write(last);
        }
      }
    }
    byte[] all = keep.toByteArray();
    byte[] t =
        all.length > LOG_TAIL_BYTES
            ? java.util.Arrays.copyOfRange(all, all.length - LOG_TAIL_BYTES, all.length)
            : all;
    return new String(t, StandardCharsets.UTF_8);
  }

  private static <T> T quietly(Future<T> f, T otherwise) {
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return otherwise;
    } catch (Exception e) {
      LOG.log(Level.FINE, "reading a function's output failed", e);
      return otherwise;
    }
  }

  // ---- Lambda's error objects

  private static Invocation timedOut(FunctionDefinition f, String requestId, String log) {
    ObjectNode e = JSON.createObjectNode();
    e.put(
        "errorMessage",
        "RequestId: "
            + requestId
            + " Error: Task timed out after "
            + String.format(Locale.ROOT, "%.2f", f.timeout().toMillis() / 1000.0)
            + " seconds");
    e.put("errorType", "Sandbox.Timedout");
    return new Invocation.Returned(requestId, bytes(e), "Unhandled", log);
  }

  private static Invocation tooLarge(String requestId, String log) {
    ObjectNode e = JSON.createObjectNode();
    e.put(
        "errorMessage",
        "Response payload size exceeded maximum allowed payload size ("
            + MAX_RESPONSE_BYTES
            + " bytes).");
    e.put("errorType", "Function.ResponseSizeTooLarge");
    return new Invocation.Returned(requestId, bytes(e), "Unhandled", log);
  }

  /**
   * Lambda's error object: a JSON object with a string {@code errorType} and a string {@code
   * errorMessage}, and besides them at most {@code stackTrace}, {@code requestId} and {@code
   * cause}.
   */
  public static boolean isErrorShape(@Nullable JsonNode n) {
    if (n == null || !n.isObject()) {
      return false;
    }
    JsonNode type = n.get("errorType");
    JsonNode message = n.get("errorMessage");
    if (type == null || !type.isTextual() || message == null || !message.isTextual()) {
      return false;
    }
    for (var it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!List.of("errorType", "errorMessage", "stackTrace", "requestId", "cause").contains(k)) {
        return false;
      }
    }
    return true;
  }

  /** The JSON value of {@code bytes}, or null when they are not JSON. */
  public static @Nullable JsonNode parse(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isBlank(byte[] b) {
    return new String(b, StandardCharsets.UTF_8).isBlank();
  }

  private static String snippet(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    return s.length() > 1024 ? s.substring(0, 1024) + "..." : s;
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops the background invocations still running (their commands are ended). */
  @Override
  public void close() {
    background.shutdownNow();
    try {
      background.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.close();
  }
}
