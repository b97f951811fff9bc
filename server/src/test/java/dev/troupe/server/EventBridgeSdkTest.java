package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.runtime.bus.EventBus;
import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.LimitExceededException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The EventBridge API through the real AWS SDK for Java v2 ({@code eventbridge}, signed with SigV4)
 * against a real server on a free port over a real SQLite file: buses, rules and targets, PutEvents
 * starting a state machine's execution with the transformed event as its input, the rules kept
 * across a restart, and EventBridge's errors.
 */
class EventBridgeSdkTest {
  static final String KEY_ID = "AKIDTROUPETEST";
  static final String SECRET = "troupe-test-secret";
  static final String ROLE = "arn:aws:iam::210987654321:role/test";
  static final ObjectMapper JSON = new ObjectMapper();
  static final ArnScheme ARNS = new ArnScheme("eu-west-3", "210987654321");

  @TempDir Path temp;
  JdbcStore store;
  TroupeServer server;
  EventBridgeClient events;
  SfnClient sfn;
  SqsClient sqs;

  @BeforeEach
  void start() {
    store = SqliteStore.open(temp.resolve("data"));
    startServer();
  }

  private void startServer() {
    server =
        TroupeServer.start(
            new ServerConfig(
                "127.0.0.1",
                0,
                ARNS,
                Map.of(KEY_ID, SECRET),
                ServerConfig.DEFAULT_MAX_REQUEST_BYTES),
            store);
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET));
    events =
        EventBridgeClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.of("eu-west-3"))
            .credentialsProvider(credentials)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
            .build();
    sfn =
        SfnClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.of("eu-west-3"))
            .credentialsProvider(credentials)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
            .build();
    sqs =
        SqsClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.of("eu-west-3"))
            .credentialsProvider(credentials)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
            .build();
  }

  void stopServer() {
    sqs.close();
    events.close();
    sfn.close();
    server.close();
  }

  @AfterEach
  void stop() {
    stopServer();
    store.close();
  }

  String passMachine(String name) {
    return sfn.createStateMachine(
            b ->
                b.name(name)
                    .roleArn(ROLE)
                    .definition(
                        "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"))
        .stateMachineArn();
  }

  List<ExecutionListItem> executionsOf(String machineArn, int atLeast) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (true) {
      List<ExecutionListItem> items =
          sfn.listExecutions(b -> b.stateMachineArn(machineArn)).executions();
      boolean done =
          items.size() >= atLeast
              && items.stream().allMatch(i -> i.status() != ExecutionStatus.RUNNING);
      if (done || Instant.now().isAfter(deadline)) {
        return items;
      }
      Thread.sleep(50);
    }
  }

  @Test
  void busesAreCreatedDescribedListedAndDeleted() {
    String arn =
        events.createEventBus(b -> b.name("orders").description("the orders")).eventBusArn();
    assertThat(arn).isEqualTo("arn:aws:events:eu-west-3:210987654321:event-bus/orders");
    assertThat(events.describeEventBus(b -> b.name("orders")).description())
        .isEqualTo("the orders");
    assertThat(events.describeEventBus(b -> {}).arn())
        .isEqualTo("arn:aws:events:eu-west-3:210987654321:event-bus/default");
    assertThat(events.listEventBuses(b -> {}).eventBuses())
        .extracting(e -> e.name())
        .containsExactly("default", "orders");
    assertThat(events.listEventBuses(b -> b.limit(1)).nextToken()).isNotNull();

    assertThatThrownBy(() -> events.createEventBus(b -> b.name("orders")))
        .isInstanceOf(ResourceAlreadyExistsException.class)
        .hasMessageContaining("Event bus orders already exists.");
    assertThatThrownBy(() -> events.deleteEventBus(b -> b.name("default")))
        .isInstanceOf(EventBridgeException.class)
        .hasMessageContaining("Cannot delete event bus default.")
        .extracting(e -> ((EventBridgeException) e).awsErrorDetails().errorCode())
        .isEqualTo("ValidationException");
    events.deleteEventBus(b -> b.name("orders"));
    assertThatThrownBy(() -> events.describeEventBus(b -> b.name("orders")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Event bus orders does not exist.");
  }

  @Test
  void putEventsStartsTheTargetMachineWithTheTransformedEventOnceAndTheRuleOutlivesARestart()
      throws Exception {
    String machine = passMachine("on-order");
    String ruleArn =
        events
            .putRule(
                b ->
                    b.name("big-orders")
                        .eventPattern(
                            "{\"source\":[\"shop\"],\"detail\":{\"total\":[{\"numeric\":[\">\",100]}]}}")
                        .description("orders over 100"))
            .ruleArn();
    assertThat(ruleArn).isEqualTo("arn:aws:events:eu-west-3:210987654321:rule/big-orders");
    PutTargetsResponse put =
        events.putTargets(
            b ->
                b.rule("big-orders")
                    .targets(
                        Target.builder()
                            .id("machine")
                            .arn(machine)
                            .roleArn(ROLE)
                            .inputTransformer(
                                t ->
                                    t.inputPathsMap(Map.of("total", "$.detail.total", "id", "$.id"))
                                        .inputTemplate(
                                            "{\"total\": <total>, \"event\": <id>, \"rule\":"
                                                + " <aws.events.rule-name>}"))
                            .build()));
    assertThat(put.failedEntryCount()).isZero();

    PutEventsResponse res =
        events.putEvents(
            b ->
                b.entries(
                    e -> e.source("shop").detailType("order").detail("{\"total\":250}"),
                    e -> e.source("shop").detailType("order").detail("{\"total\":5}"),
                    e -> e.source("shop").detailType("order").detail("not json")));
    assertThat(res.failedEntryCount()).isEqualTo(1);
    assertThat(res.entries().get(2).errorCode()).isEqualTo("MalformedDetail");
    assertThat(res.entries().get(2).errorMessage()).isEqualTo("Detail is malformed.");
    String eventId = res.entries().get(0).eventId();

    List<ExecutionListItem> started = executionsOf(machine, 1);
    assertThat(started).hasSize(1);
    ExecutionListItem item = started.get(0);
    assertThat(item.name()).isEqualTo(EventBus.idempotencyName(eventId, ruleArn, "machine"));
    DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(item.executionArn()));
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    // the execution's input is the template filled in (Step Functions keeps it as parsed JSON)
    assertThat(JSON.readTree(d.input()))
        .isEqualTo(
            JSON.readTree(
                "{\"total\": 250, \"event\": \"" + eventId + "\", \"rule\": \"big-orders\"}"));

    // the rule, its target and its transform are kept: a restarted server routes as before
    stopServer();
    startServer();
    assertThat(events.describeRule(b -> b.name("big-orders")).description())
        .isEqualTo("orders over 100");
    events.putEvents(
        b -> b.entries(e -> e.source("shop").detailType("order").detail("{\"total\":101}")));
    assertThat(executionsOf(machine, 2)).hasSize(2);
  }

  @Test
  void rulesAreEnabledDisabledListedAndRefusedAsEventBridgeRefusesThem() {
    events.putRule(b -> b.name("a").eventPattern("{\"source\":[\"x\"]}"));
    events.putRule(
        b -> b.name("b").scheduleExpression("rate(5 minutes)").state(RuleState.DISABLED));
    events.disableRule(b -> b.name("a"));
    DescribeRuleResponse a = events.describeRule(b -> b.name("a"));
    assertThat(a.state()).isEqualTo(RuleState.DISABLED);
    assertThat(a.eventBusName()).isEqualTo("default");
    assertThat(a.createdBy()).isEqualTo("210987654321");
    events.enableRule(b -> b.name("b"));
    assertThat(events.describeRule(b -> b.name("b")).scheduleExpression())
        .isEqualTo("rate(5 minutes)");
    assertThat(events.listRules(b -> b.namePrefix("")).rules())
        .extracting(r -> r.name() + ":" + r.stateAsString())
        .containsExactly("a:DISABLED", "b:ENABLED");

    events.putTargets(
        b ->
            b.rule("a")
                .targets(
                    Target.builder().id("q").arn("arn:aws:sqs:eu-west-3:210987654321:q").build()));
    assertThat(events.listTargetsByRule(b -> b.rule("a")).targets())
        .extracting(Target::arn)
        .containsExactly("arn:aws:sqs:eu-west-3:210987654321:q");
    assertThat(
            events
                .listRuleNamesByTarget(b -> b.targetArn("arn:aws:sqs:eu-west-3:210987654321:q"))
                .ruleNames())
        .containsExactly("a");
    assertThatThrownBy(() -> events.deleteRule(b -> b.name("a")))
        .isInstanceOf(EventBridgeException.class)
        .hasMessageContaining("Rule can't be deleted since it has targets.");
    events.removeTargets(b -> b.rule("a").ids("q"));
    events.deleteRule(b -> b.name("a"));
    assertThatThrownBy(() -> events.describeRule(b -> b.name("a")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Rule a does not exist on EventBus default.");

    assertThatThrownBy(() -> events.putRule(b -> b.name("bad").eventPattern("{\"source\":\"x\"}")))
        .isInstanceOf(InvalidEventPatternException.class)
        .hasMessageContaining("Event pattern is not valid.");
    assertThatThrownBy(
            () -> events.putRule(b -> b.name("c").eventBusName("nope").eventPattern("{}")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Event bus nope does not exist.");
    assertThatThrownBy(() -> events.putRule(b -> b.name("c")))
        .isInstanceOf(EventBridgeException.class)
        .hasMessageContaining("Parameter(s) EventPattern or ScheduleExpression must be specified.");
    events.createEventBus(b -> b.name("custom"));
    assertThatThrownBy(
            () ->
                events.putRule(
                    b -> b.name("c").eventBusName("custom").scheduleExpression("rate(1 minute)")))
        .hasMessageContaining("ScheduleExpression is supported only on the default event bus.");
    assertThatThrownBy(() -> events.putRule(b -> b.name("c").scheduleExpression("rate(1 minutes)")))
        .hasMessageContaining("Parameter ScheduleExpression is not valid.");
    assertThatThrownBy(
            () ->
                events.putTargets(
                    b ->
                        b.rule("b")
                            .targets(Target.builder().id("t").arn("arn:x").input("{").build())))
        .hasMessageContaining("Input for target t is not valid JSON text.");
    for (int i = 0; i < 5; i++) {
      int n = i;
      events.putTargets(
          b -> b.rule("b").targets(Target.builder().id("t" + n).arn("arn:x").build()));
    }
    assertThatThrownBy(
            () ->
                events.putTargets(
                    b -> b.rule("b").targets(Target.builder().id("t9").arn("arn:x").build())))
        .isInstanceOf(LimitExceededException.class);
    assertThatThrownBy(
            () ->
                events.putTargets(
                    b -> b.rule("zzz").targets(Target.builder().id("t").arn("arn:x").build())))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void testEventPatternAnswersAsEventBridge() {
    String event =
        "{\"id\":\"1\",\"account\":\"1\",\"source\":\"shop\",\"time\":\"2026-01-01T00:00:00Z\","
            + "\"region\":\"eu-west-3\",\"detail-type\":\"x\",\"detail\":{\"n\":3}}";
    assertThat(
            events
                .testEventPattern(b -> b.eventPattern("{\"detail\":{\"n\":[3]}}").event(event))
                .result())
        .isTrue();
    assertThat(
            events
                .testEventPattern(b -> b.eventPattern("{\"source\":[\"no\"]}").event(event))
                .result())
        .isFalse();
    assertThatThrownBy(
            () -> events.testEventPattern(b -> b.eventPattern("{\"source\":[\"no\"]}").event("{}")))
        .hasMessageContaining("Parameter Event is not valid.");
  }

  @Test
  void aBusTargetOnThisServerReroutesTheEventAndEventsToAMissingBusAreDropped()
      throws InterruptedException {
    String machine = passMachine("audit");
    events.createEventBus(b -> b.name("audit"));
    events.putRule(
        b -> b.name("all").eventBusName("audit").eventPattern("{\"source\":[\"shop\"]}"));
    events.putTargets(
        b ->
            b.rule("all")
                .eventBusName("audit")
                .targets(Target.builder().id("m").arn(machine).build()));
    events.putRule(b -> b.name("fwd").eventPattern("{\"source\":[\"shop\"]}"));
    events.putTargets(
        b ->
            b.rule("fwd")
                .targets(
                    Target.builder()
                        .id("bus")
                        .arn("arn:aws:events:eu-west-3:210987654321:event-bus/audit")
                        .build()));
    PutEventsResponse res =
        events.putEvents(
            b ->
                b.entries(
                    e -> e.source("shop").detailType("o").detail("{}"),
                    e -> e.source("shop").detailType("o").detail("{}").eventBusName("missing")));
    assertThat(res.failedEntryCount()).isZero();
    assertThat(res.entries()).allMatch(e -> e.eventId() != null);
    List<ExecutionListItem> started = executionsOf(machine, 1);
    assertThat(started).hasSize(1);
    String input =
        sfn.describeExecution(b -> b.executionArn(started.get(0).executionArn())).input();
    assertThat(input).contains("\"id\":\"" + res.entries().get(0).eventId() + "\"");
    Thread.sleep(200);
    assertThat(executionsOf(machine, 1)).hasSize(1);
  }

  /** A queue's URL and ARN. */
  record Queue(String url, String arn) {}

  Queue queue(String name) {
    String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
    String arn =
        sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    return new Queue(url, java.util.Objects.requireNonNull(arn, "the queue's ARN"));
  }

  List<Message> receive(Queue q) {
    return sqs.receiveMessage(
            b ->
                b.queueUrl(q.url())
                    .waitTimeSeconds(10)
                    .maxNumberOfMessages(10)
                    .messageAttributeNames("All"))
        .messages();
  }

  @Test
  void aQueueTargetReceivesTheTransformedBodyAndAMissingMachineDeadLettersTheEvent()
      throws Exception {
    Queue orders = queue("orders");
    Queue dlq = queue("orders-dlq");
    String missing = "arn:aws:states:eu-west-3:210987654321:stateMachine:gone";
    events.putRule(b -> b.name("r").eventPattern("{\"source\":[\"shop\"]}"));
    events.putTargets(
        b ->
            b.rule("r")
                .targets(
                    Target.builder()
                        .id("queue")
                        .arn(orders.arn())
                        .inputTransformer(
                            t ->
                                t.inputPathsMap(Map.of("sku", "$.detail.sku"))
                                    .inputTemplate("\"bought <sku>\""))
                        .build(),
                    Target.builder()
                        .id("gone")
                        .arn(missing)
                        .deadLetterConfig(d -> d.arn(dlq.arn()))
                        .build()));
    String eventId =
        events
            .putEvents(
                b -> b.entries(e -> e.source("shop").detailType("o").detail("{\"sku\":\"A-1\"}")))
            .entries()
            .get(0)
            .eventId();

    List<Message> received = receive(orders);
    assertThat(received).extracting(Message::body).containsExactly("\"bought A-1\"");

    List<Message> dead = receive(dlq);
    assertThat(dead).hasSize(1);
    assertThat(JSON.readTree(dead.get(0).body()).get("id").asText()).isEqualTo(eventId);
    Map<String, String> attributes = new java.util.TreeMap<>();
    dead.get(0).messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
    assertThat(attributes)
        .containsEntry("RULE_ARN", "arn:aws:events:eu-west-3:210987654321:rule/r")
        .containsEntry("TARGET_ARN", missing)
        .containsEntry("ERROR_CODE", "StateMachineDoesNotExist")
        .containsEntry("RETRY_ATTEMPTS", "0")
        .containsKey("ERROR_MESSAGE");
  }
}
