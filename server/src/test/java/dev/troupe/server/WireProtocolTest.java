package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.store.memory.InMemoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AWS JSON 1.0 protocol on the wire, with the JDK's HTTP client: without access keys the server
 * takes unsigned requests (on loopback only); unknown operations, malformed bodies, wrong member
 * types and oversized bodies get AWS's error shapes and change nothing.
 */
class WireProtocolTest {
  InMemoryStore store = new InMemoryStore();
  TroupeServer server;
  HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    server =
        TroupeServer.start(
            new ServerConfig("127.0.0.1", 0, ServerConfig.local(0).arns(), Map.of(), 64 * 1024),
            store);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  record Answer(int status, JsonNode body, String contentType) {}

  Answer call(@Nullable String target, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
            .header("Content-Type", "application/x-amz-json-1.0")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (target != null) {
      b.header("X-Amz-Target", target);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        r.statusCode(), Json.parse(r.body()), r.headers().firstValue("Content-Type").orElse(""));
  }

  static final String PASS =
      "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}";

  String createBody(String name) {
    return Json.write(
        Json.NODES
            .objectNode()
            .put("name", name)
            .put("definition", PASS)
            .put("roleArn", "arn:aws:iam::123456789012:role/r"));
  }

  @Test
  void unsignedRequestsWorkWithoutKeys() throws Exception {
    Answer a = call("AWSStepFunctions.CreateStateMachine", createBody("m"));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).isEqualTo("application/x-amz-json-1.0");
    assertThat(a.body().get("stateMachineArn").asText())
        .isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:m");
    assertThat(a.body().get("creationDate").isNumber()).isTrue();
  }

  @Test
  void unknownOperationsAndMalformedBodiesGetAwsErrorShapes() throws Exception {
    Answer unknown = call("AWSStepFunctions.LaunchRockets", "{}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().get("__type").asText())
        .isEqualTo("com.amazon.coral.service#UnknownOperationException");
    Answer otherService = call("DynamoDB_20120810.PutItem", "{}");
    assertThat(otherService.body().get("__type").asText()).endsWith("#UnknownOperationException");
    Answer noTarget = call(null, "{}");
    assertThat(noTarget.body().get("__type").asText()).endsWith("#UnknownOperationException");

    Answer malformed = call("AWSStepFunctions.CreateStateMachine", "{\"name\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body().get("__type").asText())
        .isEqualTo("com.amazon.coral.service#SerializationException");
    Answer notObject = call("AWSStepFunctions.ListStateMachines", "[1]");
    assertThat(notObject.body().get("__type").asText()).endsWith("#SerializationException");
    Answer wrongType =
        call("AWSStepFunctions.CreateStateMachine", "{\"name\":5,\"definition\":\"{}\"}");
    assertThat(wrongType.body().get("__type").asText()).endsWith("#SerializationException");
    assertThat(wrongType.body().get("message").asText()).contains("name");

    Answer missing = call("AWSStepFunctions.DescribeStateMachine", "{}");
    assertThat(missing.body().get("__type").asText())
        .isEqualTo("com.amazon.coral.validate#ValidationException");
    assertThat(missing.body().get("message").asText())
        .isEqualTo(
            "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy"
                + " constraint: Member must not be null");

    Answer doesNotExist =
        call(
            "AWSStepFunctions.DescribeStateMachine",
            "{\"stateMachineArn\":\"arn:aws:states:us-east-1:123456789012:stateMachine:none\"}");
    assertThat(doesNotExist.body().get("__type").asText())
        .isEqualTo("com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist");
    assertThat(store.listStateMachines(0, null).stateMachines()).isEmpty();
  }

  @Test
  void anOversizedBodyIsRefusedUnreadAndChangesNothing() throws Exception {
    String machine =
        call("AWSStepFunctions.CreateStateMachine", createBody("m"))
            .body()
            .get("stateMachineArn")
            .asText();
    String before =
        Json.write(Json.MAPPER.valueToTree(store.stateMachine(machine).orElseThrow().definition()));
    String huge =
        Json.write(
            Json.NODES
                .objectNode()
                .put("stateMachineArn", machine)
                .put("definition", PASS + " ".repeat(100 * 1024)));
    Answer a = call("AWSStepFunctions.UpdateStateMachine", huge);
    assertThat(a.status()).isEqualTo(413);
    assertThat(a.body().get("__type").asText()).isEqualTo("RequestEntityTooLargeException");
    assertThat(
            Json.write(
                Json.MAPPER.valueToTree(store.stateMachine(machine).orElseThrow().definition())))
        .isEqualTo(before);
    assertThat(store.stateMachine(machine).orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void withoutKeysTheServerRefusesToListenBeyondLoopback() {
    assertThatThrownBy(
            () -> new ServerConfig("0.0.0.0", 0, ServerConfig.local(0).arns(), Map.of(), 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
    assertThat(
            new ServerConfig("0.0.0.0", 0, ServerConfig.local(0).arns(), Map.of("k", "s"), 1024)
                .bind())
        .isEqualTo("0.0.0.0");
  }
}
