package dev.troupe.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.integrations.functions.FunctionDefinition;
import dev.troupe.integrations.functions.Functions;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.TaskHandler.TaskOutcome;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The integrations against a real HTTP server on a free port and real local commands. */
class IntegrationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:";

  @TempDir Path dir;
  TestEndpoints endpoints;
  Functions functions;
  Integrations integrations;

  @BeforeEach
  void start() throws Exception {
    endpoints = new TestEndpoints();
    functions =
        new Functions(
            "us-east-1",
            "123456789012",
            List.of(
                http("echo", "/echo", 3),
                http("hello", "/hello", 3),
                http("raise", "/raise", 3),
                http("crash", "/crash", 3),
                http("flagged", "/flagged", 3),
                http("slow", "/slow", 1),
                sh(
                    "greet",
                    "event=$(cat); printf '{\"event\":%s,\"greeting\":\"%s\",\"name\":\"%s\"}'"
                        + " \"$event\" \"$GREETING\" \"$AWS_LAMBDA_FUNCTION_NAME\"",
                    Map.of("GREETING", "hi"),
                    3),
                sh(
                    "fails",
                    "cat >/dev/null; echo 'about to fail' >&2;"
                        + " printf '{\"errorMessage\":\"bad order\",\"errorType\":\"OrderError\"}';"
                        + " exit 1",
                    Map.of(),
                    3),
                sh("exits", "cat >/dev/null; echo oops >&2; exit 3", Map.of(), 3),
                sh("sleeps", "sleep 30", Map.of(), 1),
                sh("words", "cat >/dev/null; echo hello there", Map.of(), 3)));
    integrations =
        new Integrations(
            functions,
            Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC),
            TaskHandler.NONE,
            Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    integrations.close();
    functions.close();
    endpoints.close();
  }

  private FunctionDefinition http(String name, String path, int timeout) {
    return new FunctionDefinition(
        name,
        new FunctionDefinition.Endpoint(URI.create(endpoints.url(path)), Map.of("X-Key", "k1")),
        Duration.ofSeconds(timeout));
  }

  private FunctionDefinition sh(String name, String script, Map<String, String> env, int timeout) {
    return new FunctionDefinition(
        name,
        new FunctionDefinition.Command(List.of("sh", "-c", script), dir, env),
        Duration.ofSeconds(timeout));
  }

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  private TaskOutcome lambda(String params) throws Exception {
    return integrations.invoke(Integrations.LAMBDA_INVOKE, json(params));
  }

  // ---- lambda:invoke

  @Test
  void lambdaInvokeAnswersWithInvokesResponseShape() throws Exception {
    TaskOutcome out = lambda("{\"FunctionName\":\"echo\",\"Payload\":{\"order\":7}}");
    assertThat(out).isInstanceOf(TaskOutcome.Succeeded.class);
    JsonNode o = ((TaskOutcome.Succeeded) out).output();
    assertThat(o.get("Payload")).isEqualTo(json("{\"echo\":{\"order\":7}}"));
    assertThat(o.get("StatusCode").asInt()).isEqualTo(200);
    assertThat(o.get("ExecutedVersion").asText()).isEqualTo("$LATEST");
    assertThat(o.at("/SdkHttpMetadata/HttpStatusCode").asInt()).isEqualTo(200);
    assertThat(o.at("/SdkHttpMetadata/HttpHeaders/X-Amz-Executed-Version").asText())
        .isEqualTo("$LATEST");
    assertThat(o.at("/SdkHttpMetadata/AllHttpHeaders/Content-Type/0").asText())
        .isEqualTo("application/json");
    assertThat(o.at("/SdkHttpMetadata/HttpHeaders/Date").asText())
        .isEqualTo("Tue, 1 Jan 2030 00:00:00 GMT");
    assertThat(o.at("/SdkResponseMetadata/RequestId").asText())
        .isEqualTo(o.at("/SdkHttpMetadata/HttpHeaders/x-amzn-RequestId").asText())
        .hasSize(36);
    assertThat(o.at("/SdkHttpMetadata/HttpHeaders/Content-Length").asText())
        .isEqualTo(Integer.toString("{\"echo\":{\"order\":7}}".length()));
    assertThat(List.of(o.fieldNames().next()))
        .containsExactly("ExecutedVersion"); // AWS's member order
    TestEndpoints.Seen req = endpoints.seen.poll(5, TimeUnit.SECONDS);
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.body()).isEqualTo("{\"order\":7}");
    assertThat(req.headers().get("X-key")).containsExactly("k1");
    assertThat(req.headers().get("Lambda-runtime-invoked-function-arn"))
        .containsExactly(ARN + "echo");
  }

  @Test
  void aStringPayloadComesBackAsAString() throws Exception {
    JsonNode o = ((TaskOutcome.Succeeded) lambda("{\"FunctionName\":\"hello\"}")).output();
    assertThat(o.get("Payload").isTextual()).isTrue();
    assertThat(o.get("Payload").asText()).isEqualTo("HelloWorld!");
  }

  @Test
  void everyFormOfFunctionNameReachesTheFunction() throws Exception {
    for (String name :
        List.of(
            "echo",
            "echo:prod",
            "echo:$LATEST",
            ARN + "echo",
            ARN + "echo:3",
            "123456789012:function:echo")) {
      TaskOutcome out = lambda("{\"FunctionName\":\"" + name + "\",\"Payload\":1}");
      assertThat(out).as(name).isInstanceOf(TaskOutcome.Succeeded.class);
      assertThat(((TaskOutcome.Succeeded) out).output().at("/Payload/echo").asInt()).isEqualTo(1);
    }
  }

  @Test
  void aFunctionThatIsNotRegisteredIsResourceNotFound() throws Exception {
    for (String name :
        List.of(
            "nope",
            "arn:aws:lambda:us-east-1:111111111111:function:echo",
            "arn:aws:lambda:eu-west-1:123456789012:function:echo")) {
      TaskOutcome out = lambda("{\"FunctionName\":\"" + name + "\",\"Payload\":null}");
      assertThat(out).as(name).isInstanceOf(TaskOutcome.Failed.class);
      TaskOutcome.Failed f = (TaskOutcome.Failed) out;
      assertThat(f.error()).isEqualTo("Lambda.ResourceNotFoundException");
      assertThat(f.cause())
          .startsWith("Function not found: arn:aws:lambda:")
          .contains(
              ":function:"
                  + (name.contains(":") ? "echo" : "nope")
                  + ":$LATEST (Service:"
                  + " AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ")
          .endsWith("; Proxy: null)");
    }
  }

  @Test
  void aMalformedFunctionNameIsLambdasValidationError() throws Exception {
    TaskOutcome.Failed f = (TaskOutcome.Failed) lambda("{\"FunctionName\":\"a b\"}");
    assertThat(f.error()).isEqualTo("Lambda.AWSLambdaException");
    assertThat(f.cause())
        .startsWith("1 validation error detected: Value 'a b' at 'functionName'")
        .contains("Error Code: ValidationException");
  }

  @Test
  void aHandlerErrorIsItsErrorTypeWithThePayloadAsCause() throws Exception {
    TaskOutcome.Failed f = (TaskOutcome.Failed) lambda("{\"FunctionName\":\"raise\"}");
    assertThat(f.error()).isEqualTo("Exception");
    assertThat(json(f.cause()))
        .isEqualTo(
            json(
                "{\"errorMessage\":\"Some exception was raised.\",\"errorType\":\"Exception\","
                    + "\"stackTrace\":[\"  File handler.py, line 2\"]}"));
  }

  @Test
  void anErrorWithoutATypeIsLambdaUnknown() throws Exception {
    TaskOutcome.Failed f = (TaskOutcome.Failed) lambda("{\"FunctionName\":\"crash\"}");
    assertThat(f.error()).isEqualTo("Lambda.Unknown");
    assertThat(f.cause())
        .startsWith(
            "The cause could not be determined because Lambda did not return an error type."
                + " Returned payload: {\"errorMessage\":\"RequestId: ")
        .contains("answered HTTP 500: boom");
  }

  @Test
  void anEndpointFlaggingItsAnswerWithTheFunctionErrorHeaderFails() throws Exception {
    TaskOutcome.Failed f = (TaskOutcome.Failed) lambda("{\"FunctionName\":\"flagged\"}");
    assertThat(f.error()).isEqualTo("Lambda.Unknown");
    assertThat(f.cause()).endsWith("Returned payload: {\"errorMessage\":\"flagged\"}");
  }

  @Test
  void aSlowEndpointTimesOutAsLambdaDoes() throws Exception {
    long t0 = System.nanoTime();
    TaskOutcome.Failed f = (TaskOutcome.Failed) lambda("{\"FunctionName\":\"slow\"}");
    assertThat(f.error()).isEqualTo("Sandbox.Timedout");
    assertThat(json(f.cause()).get("errorMessage").asText())
        .endsWith("Error: Task timed out after 1.00 seconds");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void eventInvocationsAnswerAtOnceAndRunOnce() throws Exception {
    TaskOutcome out =
        lambda("{\"FunctionName\":\"echo\",\"InvocationType\":\"Event\",\"Payload\":{\"n\":1}}");
    JsonNode o = ((TaskOutcome.Succeeded) out).output();
    assertThat(o.get("StatusCode").asInt()).isEqualTo(202);
    assertThat(o.get("Payload").asText()).isEmpty();
    assertThat(o.has("ExecutedVersion")).isFalse();
    TestEndpoints.Seen req = endpoints.seen.poll(5, TimeUnit.SECONDS);
    assertThat(req).isNotNull();
    assertThat(req.body()).isEqualTo("{\"n\":1}");
    assertThat(endpoints.seen.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void dryRunChecksTheFunctionOnly() throws Exception {
    JsonNode o =
        ((TaskOutcome.Succeeded)
                lambda("{\"FunctionName\":\"echo\",\"InvocationType\":\"DryRun\"}"))
            .output();
    assertThat(o.get("StatusCode").asInt()).isEqualTo(204);
    assertThat(endpoints.seen.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(
            ((TaskOutcome.Failed) lambda("{\"FunctionName\":\"x\",\"InvocationType\":\"DryRun\"}"))
                .error())
        .isEqualTo("Lambda.ResourceNotFoundException");
  }

  // ---- local commands

  @Test
  void aCommandGetsTheEventOnStdinAndItsEnvironment() throws Exception {
    JsonNode o =
        ((TaskOutcome.Succeeded)
                lambda("{\"FunctionName\":\"greet\",\"Payload\":{\"who\":\"ann\"}}"))
            .output();
    assertThat(o.get("Payload"))
        .isEqualTo(json("{\"event\":{\"who\":\"ann\"},\"greeting\":\"hi\",\"name\":\"greet\"}"));
  }

  @Test
  void aCommandsErrorObjectIsTheTaskError() throws Exception {
    TaskOutcome.Failed f = (TaskOutcome.Failed) lambda("{\"FunctionName\":\"fails\"}");
    assertThat(f.error()).isEqualTo("OrderError");
    assertThat(json(f.cause()))
        .isEqualTo(json("{\"errorMessage\":\"bad order\",\"errorType\":\"OrderError\"}"));
  }

  @Test
  void aCommandThatExitsWithoutAnErrorObjectIsRuntimeExitError() throws Exception {
    TaskOutcome.Failed f = (TaskOutcome.Failed) lambda("{\"FunctionName\":\"exits\"}");
    assertThat(f.error()).isEqualTo("Runtime.ExitError");
    assertThat(json(f.cause()).get("errorMessage").asText())
        .endsWith("Error: Runtime exited with error: exit status 3");
  }

  @Test
  void aCommandPastItsTimeoutIsKilledAndTimedOut() throws Exception {
    long t0 = System.nanoTime();
    TaskOutcome.Failed f = (TaskOutcome.Failed) lambda("{\"FunctionName\":\"sleeps\"}");
    assertThat(f.error()).isEqualTo("Sandbox.Timedout");
    assertThat(json(f.cause()).get("errorMessage").asText())
        .startsWith("RequestId: ")
        .endsWith(" Error: Task timed out after 1.00 seconds");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aCommandWhoseOutputIsNotJsonFails() throws Exception {
    TaskOutcome.Failed f = (TaskOutcome.Failed) lambda("{\"FunctionName\":\"words\"}");
    assertThat(f.error()).isEqualTo("Runtime.MarshalError");
    assertThat(f.cause()).contains("not JSON: hello there");
  }

  // ---- a function ARN as the Resource

  @Test
  void aFunctionArnResourceOutputsThePayloadItself() throws Exception {
    TaskOutcome out = integrations.invoke(ARN + "echo", json("{\"a\":[1,2]}"));
    assertThat(((TaskOutcome.Succeeded) out).output()).isEqualTo(json("{\"echo\":{\"a\":[1,2]}}"));
    TaskOutcome.Failed f = (TaskOutcome.Failed) integrations.invoke(ARN + "fails", json("{}"));
    assertThat(f.error()).isEqualTo("OrderError");
    TaskOutcome.Failed missing = (TaskOutcome.Failed) integrations.invoke(ARN + "gone", json("{}"));
    assertThat(missing.error()).isEqualTo("Lambda.ResourceNotFoundException");
  }

  @Test
  void otherResourcesGoToTheNextHandler() throws Exception {
    TaskOutcome.Failed f =
        (TaskOutcome.Failed) integrations.invoke("arn:aws:states:::sqs:sendMessage", json("{}"));
    assertThat(f.error()).isEqualTo(TaskHandler.NO_INTEGRATION);
  }

  // ---- http:invoke

  private TaskOutcome httpInvoke(String params) throws Exception {
    return integrations.invoke(Integrations.HTTP_INVOKE, json(params));
  }

  @Test
  void httpInvokeSendsMethodHeadersQueryAndJsonBody() throws Exception {
    TaskOutcome out =
        httpInvoke(
            "{\"ApiEndpoint\":\""
                + endpoints.url("/api/orders")
                + "\",\"Method\":\"POST\",\"Headers\":{\"X-Trace\":\"t-1\"},"
                + "\"QueryParameters\":{\"page\":2,\"q\":\"a b\"},"
                + "\"RequestBody\":{\"item\":\"tea\",\"n\":3},"
                + "\"Authentication\":{\"ConnectionArn\":\"arn:aws:events:us-east-1:123456789012:connection/c/1\"}}");
    JsonNode o = ((TaskOutcome.Succeeded) out).output();
    assertThat(o.get("StatusCode").asInt()).isEqualTo(200);
    assertThat(o.get("StatusText").asText()).isEqualTo("OK");
    assertThat(o.get("ResponseBody")).isEqualTo(json("{\"method\":\"POST\",\"length\":20}"));
    assertThat(o.at("/Headers/x-test")).isEqualTo(json("[\"a\",\"b\"]"));
    TestEndpoints.Seen req = endpoints.seen.poll(5, TimeUnit.SECONDS);
    assertThat(req.path()).isEqualTo("/api/orders");
    assertThat(req.query()).isEqualTo("page=2&q=a+b");
    assertThat(req.body()).isEqualTo("{\"item\":\"tea\",\"n\":3}");
    assertThat(req.headers().get("X-trace")).containsExactly("t-1");
    assertThat(req.headers().get("Content-type")).containsExactly("application/json");
  }

  @Test
  void httpInvokeUrlEncodesTheBodyWhenAsked() throws Exception {
    httpInvoke(
        "{\"ApiEndpoint\":\""
            + endpoints.url("/api")
            + "\",\"Method\":\"PUT\",\"RequestBody\":{\"name\":\"A&B\",\"tags\":[\"x\",\"y\"],"
            + "\"addr\":{\"city\":\"Oslo\"}},\"Transform\":{\"RequestBodyEncoding\":\"URL_ENCODED\","
            + "\"RequestEncodingOptions\":{\"ArrayFormat\":\"BRACKETS\"}}}");
    TestEndpoints.Seen req = endpoints.seen.poll(5, TimeUnit.SECONDS);
    assertThat(req.method()).isEqualTo("PUT");
    assertThat(req.headers().get("Content-type"))
        .containsExactly("application/x-www-form-urlencoded");
    assertThat(req.body()).isEqualTo("name=A%26B&tags%5B%5D=x&tags%5B%5D=y&addr%5Bcity%5D=Oslo");
  }

  @Test
  void eachArrayFormatEncodesAsDocumented() throws Exception {
    JsonNode body = json("{\"array\":[\"a\",\"b\",\"c\"]}");
    assertThat(HttpTasks.formEncode(body, "INDICES"))
        .isEqualTo("array%5B0%5D=a&array%5B1%5D=b&array%5B2%5D=c");
    assertThat(HttpTasks.formEncode(body, "REPEAT")).isEqualTo("array=a&array=b&array=c");
    assertThat(HttpTasks.formEncode(body, "COMMAS")).isEqualTo("array=a%2Cb%2Cc");
    assertThat(HttpTasks.formEncode(body, "BRACKETS"))
        .isEqualTo("array%5B%5D=a&array%5B%5D=b&array%5B%5D=c");
  }

  @Test
  void aTextResponseIsAString() throws Exception {
    JsonNode o =
        ((TaskOutcome.Succeeded)
                httpInvoke(
                    "{\"ApiEndpoint\":\"" + endpoints.url("/text") + "\",\"Method\":\"GET\"}"))
            .output();
    assertThat(o.get("ResponseBody").asText()).isEqualTo("plain words");
  }

  @Test
  void aStatusOtherThan2xxIsStatesHttpStatusCode() throws Exception {
    for (int code : List.of(404, 500, 503)) {
      TaskOutcome.Failed f =
          (TaskOutcome.Failed)
              httpInvoke(
                  "{\"ApiEndpoint\":\""
                      + endpoints.url("/status/" + code)
                      + "\",\"Method\":\"GET\"}");
      assertThat(f.error()).isEqualTo("States.Http.StatusCode." + code);
      JsonNode cause = json(f.cause());
      assertThat(cause.get("StatusCode").asInt()).isEqualTo(code);
      assertThat(cause.get("ResponseBody")).isEqualTo(json("{\"error\":\"status " + code + "\"}"));
      assertThat(cause.get("StatusText").asText()).isNotEmpty();
    }
  }

  @Test
  void aRefusedConnectionIsStatesHttpSocket() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TaskOutcome.Failed f =
        (TaskOutcome.Failed)
            httpInvoke("{\"ApiEndpoint\":\"http://127.0.0.1:" + port + "/x\",\"Method\":\"GET\"}");
    assertThat(f.error()).isEqualTo("States.Http.Socket");
    assertThat(f.cause()).startsWith("The request to http://127.0.0.1:" + port + "/x failed");
  }

  @Test
  void aResponseSlowerThanTheRequestTimeoutIsStatesHttpSocket() throws Exception {
    TaskOutcome.Failed f =
        (TaskOutcome.Failed)
            httpInvoke("{\"ApiEndpoint\":\"" + endpoints.url("/slow") + "\",\"Method\":\"GET\"}");
    assertThat(f.error()).isEqualTo("States.Http.Socket");
    assertThat(f.cause()).contains("timed out");
  }

  @Test
  void badParametersSayWhatIsWrong() throws Exception {
    assertThat(((TaskOutcome.Failed) httpInvoke("{\"Method\":\"GET\"}")).cause())
        .contains("'ApiEndpoint' is required");
    assertThat(
            ((TaskOutcome.Failed)
                    httpInvoke(
                        "{\"ApiEndpoint\":\"" + endpoints.url("/api") + "\",\"Method\":\"FETCH\"}"))
                .cause())
        .contains("'Method' must be one of");
    assertThat(
            ((TaskOutcome.Failed)
                    httpInvoke(
                        "{\"ApiEndpoint\":\""
                            + endpoints.url("/api")
                            + "\",\"Method\":\"GET\",\"Body\":1}"))
                .cause())
        .contains("'Body' is not supported");
  }
}
