package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.troupe.asl.json.Json;
import dev.troupe.integrations.functions.FunctionDefinition;
import dev.troupe.kernel.Limits;
import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
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
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Registering functions through Troupe's own call ({@code PUT /troupe/functions/NAME}) on a real
 * server over a real SQLite file: the function is invoked through the Lambda client, listed, kept
 * across a restart of the server, and removed; bad definitions and names of the functions file are
 * refused with Lambda's error codes.
 */
class FunctionRegistrationTest {
  @TempDir Path temp;
  HttpServer endpoint;
  JdbcStore store;
  TroupeServer server;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    endpoint.createContext(
        "/double",
        ex -> {
          int n =
              Integer.parseInt(
                  new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim());
          byte[] b = Integer.toString(2 * n).getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          try (var os = ex.getResponseBody()) {
            os.write(b);
          }
        });
    endpoint.start();
    store = SqliteStore.open(temp.resolve("data"));
    server = startServer();
  }

  TroupeServer startServer() {
    return TroupeServer.start(
        ServerConfig.local(0),
        store,
        Clock.systemUTC(),
        Limits.DEFAULT,
        new SplittableRandom(1),
        List.of(
            new FunctionDefinition(
                "fixed",
                new FunctionDefinition.Endpoint(URI.create(url()), Map.of()),
                Duration.ofSeconds(3))));
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
    endpoint.stop(0);
    http.close();
  }

  String url() {
    return "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/double";
  }

  HttpResponse<String> call(String method, String name, @Nullable String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.endpoint() + "/troupe/functions/" + name));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  LambdaClient lambda() {
    return LambdaClient.builder()
        .endpointOverride(URI.create(server.endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  @Test
  void aRegisteredFunctionIsInvokedListedKeptAcrossARestartAndRemoved() throws Exception {
    HttpResponse<String> put =
        call("PUT", "doubler", "{\"url\":\"" + url() + "\",\"timeoutSeconds\":7}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(Json.parse(put.body()).get("FunctionArn").asText())
        .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:doubler");
    assertThat(Json.parse(put.body()).get("Timeout").asInt()).isEqualTo(7);
    try (LambdaClient lambda = lambda()) {
      assertThat(
              lambda
                  .invoke(b -> b.functionName("doubler").payload(SdkBytes.fromUtf8String("21")))
                  .payload()
                  .asUtf8String())
          .isEqualTo("42");
      assertThat(lambda.listFunctions().functions())
          .extracting(f -> f.functionName())
          .containsExactly("doubler", "fixed");
    }

    // the store keeps it: a server started again on the same file still has it
    server.close();
    server = startServer();
    try (LambdaClient lambda = lambda()) {
      assertThat(
              lambda
                  .invoke(b -> b.functionName("doubler").payload(SdkBytes.fromUtf8String("5")))
                  .payload()
                  .asUtf8String())
          .isEqualTo("10");
      assertThat(call("DELETE", "doubler", null).statusCode()).isEqualTo(204);
      assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("doubler")))
          .isInstanceOf(ResourceNotFoundException.class);
    }
    HttpResponse<String> again = call("DELETE", "doubler", null);
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(again.headers().firstValue("X-Amzn-ErrorType"))
        .contains("ResourceNotFoundException");
  }

  @Test
  void badDefinitionsAndTheFilesNamesAreRefused() throws Exception {
    HttpResponse<String> command = call("PUT", "cmd", "{\"command\":[\"rm\",\"-rf\",\"/\"]}");
    assertThat(command.statusCode()).isEqualTo(400);
    assertThat(command.headers().firstValue("X-Amzn-ErrorType"))
        .contains("InvalidParameterValueException");
    assertThat(Json.parse(command.body()).get("message").asText())
        .contains("/url: missing (functions registered through the API are HTTP endpoints");

    HttpResponse<String> bad =
        call("PUT", "bad", "{\"url\":\"ftp://x/\",\"timeoutSeconds\":0,\"colour\":1}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Json.parse(bad.body()).get("message").asText())
        .contains("/url: expected an absolute http or https URL")
        .contains("/timeoutSeconds: expected an integer from 1 to 900")
        .contains("/colour: unknown member");

    assertThat(call("PUT", "bad%20name", "{\"url\":\"http://x/\"}").statusCode()).isEqualTo(400);
    assertThat(call("PUT", "x", "not json").statusCode()).isEqualTo(400);

    HttpResponse<String> fixed = call("PUT", "fixed", "{\"url\":\"" + url() + "\"}");
    assertThat(fixed.statusCode()).isEqualTo(409);
    assertThat(fixed.headers().firstValue("X-Amzn-ErrorType"))
        .contains("ResourceConflictException");
    assertThat(call("DELETE", "fixed", null).statusCode()).isEqualTo(409);
    try (LambdaClient lambda = lambda()) {
      assertThat(lambda.listFunctions().functions())
          .extracting(f -> f.functionName())
          .containsExactly("fixed");
    }
  }
}
