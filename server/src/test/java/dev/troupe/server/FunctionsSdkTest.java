package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.troupe.asl.json.Json;
import dev.troupe.integrations.functions.FunctionDefinition;
import dev.troupe.kernel.Limits;
import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Functions and HTTP Tasks through the real AWS SDK for Java v2 (Step Functions and Lambda clients,
 * signed with SigV4) against a real server over a real SQLite file, with a real HTTP server on a
 * free port as the functions' endpoints and the API an HTTP Task calls, a real shell command as a
 * function, and the real AWS CLI's {@code aws lambda invoke}.
 */
class FunctionsSdkTest {
  static final String KEY_ID = "AKIDFUNCTIONS";
  static final String SECRET = "functions-secret";
  static final String REGION = "eu-west-3";
  static final String ACCOUNT = "210987654321";
  static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/test";
  static final String FN_ARN = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:";

  @TempDir Path temp;
  HttpServer endpoints;
  final BlockingQueue<String> echoed = new LinkedBlockingQueue<>();
  final AtomicInteger flakyCalls = new AtomicInteger();
  final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
  JdbcStore store;
  TroupeServer server;
  SfnClient sfn;
  LambdaClient lambda;

  @BeforeEach
  void start() throws IOException {
    endpoints = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoints.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    endpoints.createContext(
        "/echo",
        ex -> {
          String body = read(ex);
          echoed.add(body);
          answer(ex, 200, "{\"echo\":" + body + "}");
        });
    endpoints.createContext(
        "/approve",
        ex -> {
          // a function that hands the task token on (as a mail to an approver would) and returns
          tokens.add(Json.parse(read(ex)).get("token").asText());
          answer(ex, 200, "{\"queued\":true}");
        });
    endpoints.createContext(
        "/raise",
        ex -> {
          read(ex);
          answer(
              ex,
              200,
              "{\"errorMessage\":\"card declined\",\"errorType\":\"PaymentError\","
                  + "\"stackTrace\":[]}");
        });
    endpoints.createContext(
        "/flaky",
        ex -> {
          read(ex);
          int n = flakyCalls.incrementAndGet();
          answer(
              ex,
              200,
              n <= 2
                  ? "{\"errorMessage\":\"busy\",\"errorType\":\"Busy\"}"
                  : "{\"attempt\":" + n + "}");
        });
    endpoints.createContext(
        "/orders",
        ex -> {
          String q = ex.getRequestURI().getRawQuery();
          answer(ex, 200, "{\"query\":\"" + q + "\",\"method\":\"" + ex.getRequestMethod() + "\"}");
        });
    endpoints.createContext(
        "/broken",
        ex -> {
          read(ex);
          answer(ex, 500, "{\"message\":\"database down\"}");
        });
    endpoints.start();
    store = SqliteStore.open(temp.resolve("data"));
    List<FunctionDefinition> functions =
        List.of(
            http("echo", "/echo"),
            http("raise", "/raise"),
            http("approve", "/approve"),
            http("flaky", "/flaky"),
            new FunctionDefinition(
                "shout",
                new FunctionDefinition.Command(
                    List.of(
                        "sh",
                        "-c",
                        "echo 'shouting' >&2; printf '\"%s\"' \"$(cat | tr a-z A-Z | tr -d '\"')\""),
                    temp,
                    Map.of()),
                Duration.ofSeconds(5)));
    server =
        TroupeServer.start(
            new ServerConfig(
                "127.0.0.1",
                0,
                new ArnScheme(REGION, ACCOUNT),
                Map.of(KEY_ID, SECRET),
                ServerConfig.DEFAULT_MAX_REQUEST_BYTES),
            store,
            Clock.systemUTC(),
            Limits.DEFAULT,
            new SplittableRandom(7),
            functions);
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET));
    sfn =
        SfnClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.of(REGION))
            .credentialsProvider(credentials)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
            .build();
    lambda =
        LambdaClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.of(REGION))
            .credentialsProvider(credentials)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
            .build();
  }

  @AfterEach
  void stop() {
    lambda.close();
    sfn.close();
    server.close();
    store.close();
    endpoints.stop(0);
  }

  private FunctionDefinition http(String name, String path) {
    return new FunctionDefinition(
        name,
        new FunctionDefinition.Endpoint(URI.create(url(path)), Map.of()),
        Duration.ofSeconds(5));
  }

  private String url(String path) {
    return "http://127.0.0.1:" + endpoints.getAddress().getPort() + path;
  }

  private static String read(HttpExchange ex) throws IOException {
    return new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (var os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  private DescribeExecutionResponse run(String name, String definition, String input)
      throws InterruptedException {
    String machine =
        sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE))
            .stateMachineArn();
    String execution =
        sfn.startExecution(b -> b.stateMachineArn(machine).input(input)).executionArn();
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(execution));
      if (d.status() != ExecutionStatus.RUNNING) {
        return d;
      }
      assertThat(Instant.now()).as("execution still running").isBefore(deadline);
      Thread.sleep(50);
    }
  }

  private List<HistoryEvent> history(String executionArn) {
    return sfn.getExecutionHistory(b -> b.executionArn(executionArn).maxResults(1000)).events();
  }

  // ---- Tasks that call functions

  @Test
  void lambdaInvokeCallsAnHttpFunction() throws Exception {
    String def =
        "{\"StartAt\":\"Call\",\"States\":{\"Call\":{\"Type\":\"Task\","
            + "\"Resource\":\"arn:aws:states:::lambda:invoke\","
            + "\"Parameters\":{\"FunctionName\":\"echo\",\"Payload.$\":\"$\"},"
            + "\"ResultSelector\":{\"payload.$\":\"$.Payload\",\"status.$\":\"$.StatusCode\","
            + "\"version.$\":\"$.ExecutedVersion\"},\"End\":true}}}";
    DescribeExecutionResponse d = run("invoke-echo", def, "{\"order\":42}");
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(d.output()))
        .isEqualTo(
            Json.parse(
                "{\"payload\":{\"echo\":{\"order\":42}},\"status\":200,\"version\":\"$LATEST\"}"));
    assertThat(echoed.poll(1, TimeUnit.SECONDS)).isEqualTo("{\"order\":42}");
    List<HistoryEvent> events = history(d.executionArn());
    HistoryEvent scheduled =
        events.stream().filter(e -> e.type() == HistoryEventType.TASK_SCHEDULED).findFirst().get();
    assertThat(scheduled.taskScheduledEventDetails().resourceType()).isEqualTo("lambda");
    assertThat(scheduled.taskScheduledEventDetails().resource()).isEqualTo("invoke");
    HistoryEvent succeeded =
        events.stream().filter(e -> e.type() == HistoryEventType.TASK_SUCCEEDED).findFirst().get();
    JsonNode output = Json.parse(succeeded.taskSucceededEventDetails().output());
    assertThat(output.at("/SdkHttpMetadata/HttpStatusCode").asInt()).isEqualTo(200);
    assertThat(output.at("/SdkResponseMetadata/RequestId").asText()).hasSize(36);
  }

  @Test
  void aCallbackThroughAFunctionWaitsForItsToken() throws Exception {
    String def =
        "{\"StartAt\":\"Ask\",\"States\":{\"Ask\":{\"Type\":\"Task\","
            + "\"Resource\":\"arn:aws:states:::lambda:invoke.waitForTaskToken\","
            + "\"Parameters\":{\"FunctionName\":\"approve\","
            + "\"Payload\":{\"token.$\":\"$$.Task.Token\",\"order.$\":\"$.order\"}},"
            + "\"End\":true}}}";
    String machine =
        sfn.createStateMachine(b -> b.name("approval").definition(def).roleArn(ROLE))
            .stateMachineArn();
    String execution =
        sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"order\":7}")).executionArn();
    String token = tokens.poll(30, TimeUnit.SECONDS);
    assertThat(token).as("the function received the task token").isNotNull();
    // the function has answered, but the task waits for its token
    Thread.sleep(200);
    assertThat(sfn.describeExecution(b -> b.executionArn(execution)).status())
        .isEqualTo(ExecutionStatus.RUNNING);
    sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"approved\":true}"));
    Instant deadline = Instant.now().plusSeconds(30);
    DescribeExecutionResponse d;
    while ((d = sfn.describeExecution(b -> b.executionArn(execution))).status()
        == ExecutionStatus.RUNNING) {
      assertThat(Instant.now()).as("execution still running").isBefore(deadline);
      Thread.sleep(50);
    }
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(d.output())).isEqualTo(Json.parse("{\"approved\":true}"));
    List<HistoryEvent> events = history(execution);
    HistoryEvent submitted =
        events.stream().filter(e -> e.type() == HistoryEventType.TASK_SUBMITTED).findFirst().get();
    assertThat(Json.parse(submitted.taskSubmittedEventDetails().output()).at("/Payload"))
        .isEqualTo(Json.parse("{\"queued\":true}"));
    assertThat(events.stream().map(HistoryEvent::type).toList())
        .containsSubsequence(
            HistoryEventType.TASK_SCHEDULED,
            HistoryEventType.TASK_STARTED,
            HistoryEventType.TASK_SUBMITTED,
            HistoryEventType.TASK_SUCCEEDED);
  }

  @Test
  void aHandlerErrorIsCaughtByCatch() throws Exception {
    String def =
        "{\"StartAt\":\"Pay\",\"States\":{\"Pay\":{\"Type\":\"Task\","
            + "\"Resource\":\"arn:aws:states:::lambda:invoke\","
            + "\"Parameters\":{\"FunctionName\":\""
            + FN_ARN
            + "raise\",\"Payload\":{}},"
            + "\"Catch\":[{\"ErrorEquals\":[\"PaymentError\"],\"ResultPath\":\"$.failure\","
            + "\"Next\":\"Declined\"}],\"End\":true},"
            + "\"Declined\":{\"Type\":\"Pass\",\"End\":true}}}";
    DescribeExecutionResponse d = run("pay", def, "{\"order\":1}");
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    JsonNode out = Json.parse(d.output());
    assertThat(out.at("/failure/Error").asText()).isEqualTo("PaymentError");
    assertThat(Json.parse(out.at("/failure/Cause").asText()))
        .isEqualTo(
            Json.parse(
                "{\"errorMessage\":\"card declined\",\"errorType\":\"PaymentError\","
                    + "\"stackTrace\":[]}"));
    assertThat(out.get("order").asInt()).isEqualTo(1);
  }

  @Test
  void aHandlerErrorIsRetriedByRetry() throws Exception {
    String def =
        "{\"StartAt\":\"Try\",\"States\":{\"Try\":{\"Type\":\"Task\","
            + "\"Resource\":\""
            + FN_ARN
            + "flaky\","
            + "\"Retry\":[{\"ErrorEquals\":[\"Busy\"],\"IntervalSeconds\":1,\"MaxAttempts\":3,"
            + "\"BackoffRate\":1}],\"End\":true}}}";
    DescribeExecutionResponse d = run("flaky", def, "{}");
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    // a function ARN as the Resource: the output is the payload itself
    assertThat(Json.parse(d.output())).isEqualTo(Json.parse("{\"attempt\":3}"));
    assertThat(flakyCalls.get()).isEqualTo(3);
    List<HistoryEvent> events = history(d.executionArn());
    assertThat(events.stream().filter(e -> e.type() == HistoryEventType.TASK_FAILED).count())
        .isEqualTo(2);
  }

  @Test
  void aLocalCommandIsAFunction() throws Exception {
    String def =
        "{\"StartAt\":\"Shout\",\"States\":{\"Shout\":{\"Type\":\"Task\","
            + "\"Resource\":\"arn:aws:states:::lambda:invoke\","
            + "\"Parameters\":{\"FunctionName\":\"shout\",\"Payload.$\":\"$.words\"},"
            + "\"OutputPath\":\"$.Payload\",\"End\":true}}}";
    DescribeExecutionResponse d = run("shout", def, "{\"words\":\"hello there\"}");
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(d.output()).asText()).isEqualTo("HELLO THERE");
  }

  @Test
  void anUnknownFunctionFailsTheExecutionAsAwsDoes() throws Exception {
    String def =
        "{\"StartAt\":\"Call\",\"States\":{\"Call\":{\"Type\":\"Task\","
            + "\"Resource\":\"arn:aws:states:::lambda:invoke\","
            + "\"Parameters\":{\"FunctionName\":\"missing\",\"Payload\":null},\"End\":true}}}";
    DescribeExecutionResponse d = run("missing", def, "{}");
    assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.error()).isEqualTo("Lambda.ResourceNotFoundException");
    assertThat(d.cause())
        .startsWith("Function not found: " + FN_ARN + "missing:$LATEST (Service: AWSLambda;");
  }

  // ---- HTTP Tasks

  @Test
  void httpInvokeCallsAnApiAndA500FailsWithItsStatus() throws Exception {
    String def =
        "{\"StartAt\":\"Get\",\"States\":{"
            + "\"Get\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::http:invoke\","
            + "\"Parameters\":{\"ApiEndpoint\":\""
            + url("/orders")
            + "\",\"Method\":\"GET\",\"QueryParameters\":{\"id.$\":\"$.id\"}},"
            + "\"ResultSelector\":{\"body.$\":\"$.ResponseBody\",\"status.$\":\"$.StatusCode\","
            + "\"text.$\":\"$.StatusText\"},\"ResultPath\":\"$.got\",\"Next\":\"Post\"},"
            + "\"Post\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::http:invoke\","
            + "\"Parameters\":{\"ApiEndpoint\":\""
            + url("/broken")
            + "\",\"Method\":\"POST\",\"RequestBody\":{\"id.$\":\"$.id\"}},"
            + "\"Catch\":[{\"ErrorEquals\":[\"States.Http.StatusCode.500\"],"
            + "\"ResultPath\":\"$.failure\",\"Next\":\"Failed\"}],\"End\":true},"
            + "\"Failed\":{\"Type\":\"Fail\",\"ErrorPath\":\"$.failure.Error\","
            + "\"CausePath\":\"$.failure.Cause\"}}}";
    DescribeExecutionResponse d = run("http", def, "{\"id\":\"o-7\"}");
    assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.error()).isEqualTo("States.Http.StatusCode.500");
    JsonNode cause = Json.parse(d.cause());
    assertThat(cause.get("StatusCode").asInt()).isEqualTo(500);
    assertThat(cause.get("StatusText").asText()).isEqualTo("Internal Server Error");
    assertThat(cause.get("ResponseBody")).isEqualTo(Json.parse("{\"message\":\"database down\"}"));
    List<HistoryEvent> events = history(d.executionArn());
    HistoryEvent first =
        events.stream().filter(e -> e.type() == HistoryEventType.TASK_SUCCEEDED).findFirst().get();
    assertThat(first.taskSucceededEventDetails().resourceType()).isEqualTo("http");
    JsonNode got = Json.parse(first.taskSucceededEventDetails().output());
    assertThat(got.get("ResponseBody"))
        .isEqualTo(Json.parse("{\"query\":\"id=o-7\",\"method\":\"GET\"}"));
    assertThat(got.get("StatusCode").asInt()).isEqualTo(200);
    // header names as the API sent them (the JDK's test server writes "Content-type")
    List<String> names = new java.util.ArrayList<>();
    got.get("Headers").fieldNames().forEachRemaining(names::add);
    String contentType =
        names.stream().filter(n -> n.equalsIgnoreCase("content-type")).findFirst().orElseThrow();
    assertThat(got.at("/Headers/" + contentType)).isEqualTo(Json.parse("[\"application/json\"]"));
  }

  // ---- Lambda's Invoke API

  @Test
  void theLambdaClientInvokesFunctions() throws Exception {
    InvokeResponse r =
        lambda.invoke(b -> b.functionName("echo").payload(SdkBytes.fromUtf8String("{\"a\":1}")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.executedVersion()).isEqualTo("$LATEST");
    assertThat(r.functionError()).isNull();
    assertThat(Json.parse(r.payload().asUtf8String()))
        .isEqualTo(Json.parse("{\"echo\":{\"a\":1}}"));

    InvokeResponse byArn =
        lambda.invoke(
            b ->
                b.functionName(FN_ARN + "echo")
                    .qualifier("prod")
                    .payload(SdkBytes.fromUtf8String("2")));
    assertThat(Json.parse(byArn.payload().asUtf8String())).isEqualTo(Json.parse("{\"echo\":2}"));

    InvokeResponse failed = lambda.invoke(b -> b.functionName("raise"));
    assertThat(failed.statusCode()).isEqualTo(200);
    assertThat(failed.functionError()).isEqualTo("Unhandled");
    assertThat(Json.parse(failed.payload().asUtf8String()).get("errorType").asText())
        .isEqualTo("PaymentError");

    InvokeResponse tail =
        lambda.invoke(
            b ->
                b.functionName("shout")
                    .logType(LogType.TAIL)
                    .payload(SdkBytes.fromUtf8String("\"quiet\"")));
    assertThat(Json.parse(tail.payload().asUtf8String()).asText()).isEqualTo("QUIET");
    assertThat(
            new String(
                java.util.Base64.getDecoder().decode(tail.logResult()), StandardCharsets.UTF_8))
        .contains("shouting");

    assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("nothing")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Function not found: " + FN_ARN + "nothing")
        .satisfies(e -> assertThat(((ResourceNotFoundException) e).statusCode()).isEqualTo(404));
  }

  @Test
  void eventInvocationsAreAcceptedAndRunOnceInTheBackground() throws Exception {
    InvokeResponse r =
        lambda.invoke(
            b ->
                b.functionName("echo")
                    .invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"later\":true}")));
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(echoed.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"later\":true}");
    assertThat(echoed.poll(300, TimeUnit.MILLISECONDS)).isNull();

    InvokeResponse dry =
        lambda.invoke(b -> b.functionName("echo").invocationType(InvocationType.DRY_RUN));
    assertThat(dry.statusCode()).isEqualTo(204);
    assertThat(echoed.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void theLambdaClientListsAndDescribesFunctions() {
    var page = lambda.listFunctions(b -> b.maxItems(3));
    assertThat(page.functions())
        .extracting(f -> f.functionName())
        .containsExactly("approve", "echo", "flaky");
    assertThat(page.nextMarker()).isEqualTo("flaky");
    var rest = lambda.listFunctions(b -> b.marker(page.nextMarker()));
    assertThat(rest.functions())
        .extracting(f -> f.functionName())
        .containsExactly("raise", "shout");
    assertThat(rest.nextMarker()).isNull();

    var got = lambda.getFunction(b -> b.functionName(FN_ARN + "echo"));
    assertThat(got.configuration().functionArn()).isEqualTo(FN_ARN + "echo");
    assertThat(got.configuration().timeout()).isEqualTo(5);
    assertThat(got.configuration().description()).isEqualTo("HTTP endpoint " + url("/echo"));
    var shout = lambda.getFunctionConfiguration(b -> b.functionName("shout"));
    assertThat(shout.description()).startsWith("command sh -c");
    assertThat(shout.version()).isEqualTo("$LATEST");
    assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("gone")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void anExpressMachineCallsFunctionsToo() throws Exception {
    String def =
        "{\"StartAt\":\"Call\",\"States\":{\"Call\":{\"Type\":\"Task\","
            + "\"Resource\":\"arn:aws:states:::lambda:invoke\","
            + "\"Parameters\":{\"FunctionName\":\"echo\",\"Payload.$\":\"$\"},"
            + "\"OutputPath\":\"$.Payload\",\"End\":true}}}";
    String machine =
        sfn.createStateMachine(
                b ->
                    b.name("express-echo")
                        .definition(def)
                        .roleArn(ROLE)
                        .type(software.amazon.awssdk.services.sfn.model.StateMachineType.EXPRESS))
            .stateMachineArn();
    try (SfnClient sync =
        SfnClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.of(REGION))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(
                o ->
                    o.putAdvancedOption(
                        software.amazon.awssdk.core.client.config.SdkAdvancedClientOption
                            .DISABLE_HOST_PREFIX_INJECTION,
                        true))
            .build()) {
      var r = sync.startSyncExecution(b -> b.stateMachineArn(machine).input("{\"x\":1}"));
      assertThat(r.statusAsString()).isEqualTo("SUCCEEDED");
      assertThat(Json.parse(r.output())).isEqualTo(Json.parse("{\"echo\":{\"x\":1}}"));
    }
  }

  @Test
  void theAwsCliInvokesAFunction() throws Exception {
    Path out = temp.resolve("response.json");
    Path err = temp.resolve("err.txt");
    Path stdout = temp.resolve("stdout.txt");
    ProcessBuilder pb =
        new ProcessBuilder(
            "aws",
            "lambda",
            "invoke",
            "--function-name",
            "echo",
            "--payload",
            "{\"cli\":true}",
            "--endpoint-url",
            server.endpoint(),
            "--output",
            "json",
            out.toString());
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET);
    env.put("AWS_DEFAULT_REGION", REGION);
    env.put("AWS_CONFIG_FILE", temp.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", temp.resolve("no-credentials").toString());
    env.put("AWS_PAGER", "");
    env.remove("AWS_PROFILE");
    pb.redirectOutput(stdout.toFile()).redirectError(err.toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new AssertionError(
          "the AWS CLI (`aws`) is not on the PATH: install the Debian package awscli", e);
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
    JsonNode printed = Json.parse(Files.readString(stdout));
    assertThat(printed.get("StatusCode").asInt()).isEqualTo(200);
    assertThat(printed.get("ExecutedVersion").asText()).isEqualTo("$LATEST");
    assertThat(Json.parse(Files.readString(out)))
        .isEqualTo(Json.parse("{\"echo\":{\"cli\":true}}"));
  }
}
