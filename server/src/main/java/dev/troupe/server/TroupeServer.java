package dev.troupe.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.integrations.Integrations;
import dev.troupe.integrations.functions.FunctionDefinition;
import dev.troupe.integrations.functions.Functions;
import dev.troupe.kernel.Limits;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.bucket.BucketStore;
import dev.troupe.runtime.bus.EventBus;
import dev.troupe.runtime.durable.Activities;
import dev.troupe.runtime.durable.DurableRuntime;
import dev.troupe.runtime.express.ExpressRuntime;
import dev.troupe.server.auth.SigV4Verifier;
import dev.troupe.server.events.EventsApi;
import dev.troupe.server.events.ServerTargets;
import dev.troupe.server.lambda.LambdaApi;
import dev.troupe.server.protocol.ApiError;
import dev.troupe.server.protocol.AwsJson;
import dev.troupe.server.sfn.ActivityService;
import dev.troupe.server.sfn.ExpressService;
import dev.troupe.server.sfn.StepFunctionsApi;
import dev.troupe.server.sfn.StepFunctionsService;
import dev.troupe.server.sqs.SqsApi;
import dev.troupe.server.sqs.SqsQuery;
import dev.troupe.server.sqs.SqsService;
import dev.troupe.server.tasks.SqsTasks;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.memory.InMemoryActivityStore;
import dev.troupe.store.memory.InMemoryBusCatalog;
import dev.troupe.store.memory.InMemoryBusStore;
import dev.troupe.store.memory.InMemoryFunctionStore;
import dev.troupe.store.memory.InMemoryQueueStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The server: one Helidon WebServer (a virtual thread per request) on one port for every service,
 * the AWS JSON protocols told apart by {@code X-Amz-Target}. Each request is read (bounded),
 * authenticated (SigV4 when keys are configured), parsed, and handed to the service's API; every
 * failure is answered in AWS's error shape. The durable runtime's workers (dispatcher and timers)
 * run on virtual threads beside it.
 */
public final class TroupeServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(TroupeServer.class.getName());

  private final ServerConfig config;
  private final ExecutionStore store;
  private final DurableRuntime runtime;
  private final ExpressService express;
  private final StepFunctionsApi sfn;
  private final EventBus bus;
  private final EventsApi events;
  private final SqsApi sqs;
  private final SqsQuery sqsQuery;
  private final SigV4Verifier verifier;
  private final WebServer web;
  private final Functions functions;
  private final Integrations integrations;
  private final LambdaApi lambda;

  private TroupeServer(
      ServerConfig config,
      ExecutionStore store,
      Clock clock,
      Limits limits,
      RandomGenerator aliasRouting,
      List<FunctionDefinition> functionDefinitions,
      TaskHandler tasks) {
    this.config = config;
    this.store = store;
    this.functions =
        new Functions(
            config.arns().region(),
            config.arns().account(),
            functionDefinitions,
            store instanceof JdbcStore jdbc ? jdbc.functions() : new InMemoryFunctionStore(),
            clock);
    SqsService queues =
        new SqsService(
            store instanceof JdbcStore jdbc ? jdbc.queues() : new InMemoryQueueStore(),
            clock,
            config.arns().region(),
            config.arns().account());
    this.sqs = new SqsApi(queues);
    // sqs:sendMessage Tasks go to the server's own queues; other resources on to `tasks`
    this.integrations = new Integrations(functions, clock, new SqsTasks(sqs, clock, tasks));
    this.lambda = new LambdaApi(functions);
    this.runtime =
        new DurableRuntime(store, integrations, clock, new SplittableRandom()::nextLong)
            .withActivities(
                store instanceof JdbcStore jdbc ? jdbc.activities() : new InMemoryActivityStore());
    this.express =
        new ExpressService(
            store,
            new ExpressRuntime(store, integrations, clock, limits, BucketStore.NONE),
            config.arns());
    StepFunctionsService machines =
        new StepFunctionsService(store, runtime, config.arns(), clock, aliasRouting);
    this.sfn =
        new StepFunctionsApi(
            machines,
            express,
            new ActivityService(runtime.activities().orElseThrow(), config.arns(), clock));
    this.sqsQuery = new SqsQuery(sqs);
    this.bus =
        new EventBus(
            store instanceof JdbcStore jdbc ? jdbc.busCatalog() : new InMemoryBusCatalog(),
            store instanceof JdbcStore jdbc ? jdbc.bus() : new InMemoryBusStore(),
            new ServerTargets(machines, queues::sendToArn, functions),
            clock,
            new SplittableRandom().nextLong(),
            config.arns().account(),
            config.arns().region());
    this.events = new EventsApi(bus);
    this.verifier = new SigV4Verifier(config.accessKeys(), config.arns().region(), clock);
    this.web =
        WebServer.builder()
            .host(config.bind())
            .port(config.port())
            .shutdownHook(false)
            .routing(r -> r.any(this::handle))
            .build();
  }

  /**
   * Starts a server on {@code store}: resumes the store's open executions, starts the runtime's
   * workers, then listens. The store stays the caller's to close after {@link #close}.
   */
  public static TroupeServer start(ServerConfig config, ExecutionStore store) {
    return start(config, store, Clock.systemUTC());
  }

  public static TroupeServer start(ServerConfig config, ExecutionStore store, Clock clock) {
    return start(config, store, clock, Limits.DEFAULT, new SplittableRandom());
  }

  /**
   * A server whose EXPRESS executions run under {@code limits} (their maximum duration and payload
   * size; STANDARD executions keep Step Functions' quotas).
   */
  public static TroupeServer start(
      ServerConfig config, ExecutionStore store, Clock clock, Limits limits) {
    return start(config, store, clock, limits, new SplittableRandom());
  }

  /** With the random that aliases choose their versions by (seeded in tests). */
  public static TroupeServer start(
      ServerConfig config, ExecutionStore store, Clock clock, RandomGenerator aliasRouting) {
    return start(config, store, clock, Limits.DEFAULT, aliasRouting);
  }

  /** With EXPRESS limits and the random that aliases choose their versions by. */
  public static TroupeServer start(
      ServerConfig config,
      ExecutionStore store,
      Clock clock,
      Limits limits,
      RandomGenerator aliasRouting) {
    return start(config, store, clock, limits, aliasRouting, List.of(), TaskHandler.NONE);
  }

  /**
   * A server whose Task states other than those of functions are carried out by {@code tasks} (by
   * default {@link TaskHandler#NONE}: such a Task fails with {@code
   * Troupe.IntegrationNotConfigured}).
   */
  public static TroupeServer start(
      ServerConfig config, ExecutionStore store, Clock clock, TaskHandler tasks) {
    return start(config, store, clock, Limits.DEFAULT, new SplittableRandom(), List.of(), tasks);
  }

  /**
   * With the functions that Tasks ({@code lambda:invoke}, function ARNs) and Lambda's Invoke API
   * call.
   */
  public static TroupeServer start(
      ServerConfig config,
      ExecutionStore store,
      Clock clock,
      Limits limits,
      RandomGenerator aliasRouting,
      List<FunctionDefinition> functions) {
    return start(config, store, clock, limits, aliasRouting, functions, TaskHandler.NONE);
  }

  /**
   * With EXPRESS limits, the random that aliases choose their versions by, the functions, and what
   * carries out the Tasks the functions do not serve.
   */
  public static TroupeServer start(
      ServerConfig config,
      ExecutionStore store,
      Clock clock,
      Limits limits,
      RandomGenerator aliasRouting,
      List<FunctionDefinition> functions,
      TaskHandler tasks) {
    TroupeServer server =
        new TroupeServer(config, store, clock, limits, aliasRouting, functions, tasks);
    DurableRuntime.Resumed resumed = server.runtime.resume();
    if (!resumed.stalled().isEmpty() || !resumed.withoutDefinition().isEmpty()) {
      LOG.warning(
          () ->
              "resumed "
                  + resumed.open()
                  + " open executions; stalled: "
                  + resumed.stalled()
                  + "; without a definition: "
                  + resumed.withoutDefinition());
    }
    ExpressRuntime.Resumed again = server.express.resume();
    if (!again.restarted().isEmpty() || !again.withoutDefinition().isEmpty()) {
      LOG.info(
          () ->
              "ran again "
                  + again.restarted().size()
                  + " asynchronous EXPRESS executions; without a definition: "
                  + again.withoutDefinition());
    }
    server.runtime.startWorkers(Duration.ofMillis(20));
    server.bus.load();
    server.bus.startWorkers(Duration.ofMillis(250));
    server.web.start();
    return server;
  }

  public int port() {
    return web.port();
  }

  /** The URL clients use as their endpoint. */
  public String endpoint() {
    String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
    return "http://" + host + ":" + port();
  }

  /**
   * Stops listening (requests in flight finish), then the EXPRESS runtime (asynchronous executions
   * still running keep their RUNNING rows and run again at the next start), then the durable
   * runtime's workers.
   */
  @Override
  public void close() {
    // polls waiting for activity tasks answer at once, so that the listener stops without them
    runtime.activities().ifPresent(Activities::close);
    sqs.close();
    web.stop();
    bus.close();
    express.close();
    runtime.close();
    integrations.close();
    functions.close();
  }

  // ---- one request

  private void handle(ServerRequest req, ServerResponse res) {
    String requestId = UUID.randomUUID().toString();
    res.header("x-amzn-RequestId", requestId);
    String type =
        req.headers()
                .first(HeaderNames.create("X-Amz-Target"))
                .orElse("")
                .startsWith(EventsApi.TARGET_PREFIX)
            ? EventsApi.CONTENT_TYPE
            : AwsJson.CONTENT_TYPE;
    // SQS's query protocol (clients older than its JSON protocol): a form, answered in XML
    boolean query =
        req.headers().first(HeaderNames.create("X-Amz-Target")).isEmpty()
            && SqsQuery.accepts(
                req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null), req.query().rawValue());
    try {
      if (LambdaApi.handles(req.path().rawPath())) {
        LambdaApi.Answer a = answerLambda(req);
        a.headers().forEach(res::header);
        res.status(a.status());
        res.send(a.body());
        return;
      }
      if (query) {
        byte[] form = verified(req, headers(req));
        byte[] xml =
            sqsQuery.handle(
                new String(form, java.nio.charset.StandardCharsets.UTF_8),
                req.prologue().method().equals(Method.GET) ? req.query().rawValue() : null,
                req.path().rawPath(),
                req.headers().first(HeaderNames.HOST).orElse(endpoint().substring(7)),
                requestId);
        send(res, 200, SqsQuery.CONTENT_TYPE, xml);
        return;
      }
      ObjectNode answer = answer(req);
      send(res, 200, type, AwsJson.write(answer));
    } catch (ApiError e) {
      if (query) {
        send(res, e.status(), SqsQuery.CONTENT_TYPE, SqsQuery.error(e, requestId));
        return;
      }
      if (e.queryError() != null) {
        res.header("x-amzn-query-error", e.queryError());
      }
      send(res, e.status(), type, AwsJson.error(e));
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "request " + requestId + " failed", e);
      send(
          res,
          500,
          type,
          AwsJson.error(ApiError.internal("Troupe failed on request " + requestId + ": " + e)));
    }
  }

  private static void send(ServerResponse res, int status, byte[] body) {
    send(res, status, AwsJson.CONTENT_TYPE, body);
  }

  private static void send(ServerResponse res, int status, String contentType, byte[] body) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, contentType);
    res.send(body);
  }

  /** Lambda's REST-JSON Invoke: verified as any request, answered by {@link LambdaApi}. */
  private LambdaApi.Answer answerLambda(ServerRequest req) {
    Map<String, List<String>> headers = headers(req);
    byte[] body = verified(req, headers);
    return lambda.handle(
        req.prologue().method().text(),
        req.path().rawPath(),
        req.query().rawValue(),
        headers,
        body);
  }

  private static Map<String, List<String>> headers(ServerRequest req) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    req.headers()
        .forEach(
            h ->
                headers
                    .computeIfAbsent(
                        h.name().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
                    .addAll(h.allValues()));
    return headers;
  }

  /** The request's body once its signature is verified. */
  private byte[] verified(ServerRequest req, Map<String, List<String>> headers) {
    byte[] body = body(req);
    verifier.verify(
        new SigV4Verifier.SignedRequest(
            req.prologue().method().text(),
            req.path().rawPath(),
            req.query().rawValue(),
            headers,
            body));
    return body;
  }

  private ObjectNode answer(ServerRequest req) {
    Map<String, List<String>> headers = headers(req);
    byte[] body = verified(req, headers);
    if (!req.prologue().method().equals(Method.POST)) {
      throw ApiError.unknownOperation("");
    }
    List<String> targets = headers.get("x-amz-target");
    String target = targets == null || targets.isEmpty() ? "" : targets.get(0);
    if (target.startsWith(EventsApi.TARGET_PREFIX)) {
      String op = target.substring(EventsApi.TARGET_PREFIX.length());
      if (!events.knows(op)) {
        throw ApiError.unknownOperation(target);
      }
      return events.handle(op, AwsJson.parseBody(body));
    }
    if (target.startsWith(SqsApi.TARGET_PREFIX)
        && sqs.knows(target.substring(SqsApi.TARGET_PREFIX.length()))) {
      List<String> host = headers.get("host");
      return sqs.handle(
          target.substring(SqsApi.TARGET_PREFIX.length()),
          AwsJson.parseBody(body),
          host == null || host.isEmpty() ? endpoint().substring("http://".length()) : host.get(0));
    }
    if (!target.startsWith(StepFunctionsApi.TARGET_PREFIX)) {
      throw ApiError.unknownOperation(target);
    }
    String operation = target.substring(StepFunctionsApi.TARGET_PREFIX.length());
    if (!sfn.knows(operation)) {
      throw ApiError.unknownOperation(target);
    }
    return sfn.handle(operation, AwsJson.parseBody(body));
  }

  /** The body, refused unread beyond the configured size. */
  private byte[] body(ServerRequest req) {
    int max = config.maxRequestBytes();
    try (InputStream in = req.content().inputStream()) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new ApiError(
            "RequestEntityTooLargeException",
            "The request body is larger than " + max + " bytes",
            413);
      }
      return bytes;
    } catch (IOException e) {
      throw ApiError.serialization("The request body could not be read: " + e.getMessage());
    }
  }
}
