package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.Tag;
import software.amazon.awssdk.services.sfn.model.TestStateResponse;
import software.amazon.awssdk.services.sfn.model.TooManyTagsException;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResponse;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * The Step Functions API through the real AWS SDK for Java v2, signing with SigV4, against a real
 * server on a free port over a real SQLite file: the life cycle of state machines and executions
 * and every error path a user can hit.
 */
class StepFunctionsSdkTest {
  static final String KEY_ID = "AKIDTROUPETEST";
  static final String SECRET = "troupe-test-secret";
  static final String ROLE = "arn:aws:iam::210987654321:role/test";
  static final String PASS =
      "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Result\":{\"done\":true},"
          + "\"ResultPath\":\"$.r\",\"End\":true}}}";
  static final String WAIT =
      "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}}}";

  @TempDir Path temp;
  ExecutionStore store;
  TroupeServer server;
  SfnClient sfn;

  /** The store the server runs on: a SQLite file here, PostgreSQL in a subclass. */
  protected ExecutionStore openStore() {
    return SqliteStore.open(temp.resolve("data"));
  }

  @BeforeEach
  void start() {
    store = openStore();
    server = startServer();
    sfn = client(KEY_ID, SECRET);
  }

  static ServerConfig config() {
    return new ServerConfig(
        "127.0.0.1",
        0,
        new ArnScheme("eu-west-3", "210987654321"),
        Map.of(KEY_ID, SECRET),
        ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
  }

  TroupeServer startServer() {
    return TroupeServer.start(config(), store);
  }

  @AfterEach
  void stop() {
    sfn.close();
    server.close();
    store.close();
  }

  SfnClient client(String keyId, String secret) {
    return SfnClient.builder()
        .endpointOverride(URI.create(server.endpoint()))
        .region(Region.of("eu-west-3"))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
        .httpClient(UrlConnectionHttpClient.create())
        // TestState's endpoint has a host prefix (sync-); a local endpoint must not get it
        .overrideConfiguration(
            o ->
                o.retryStrategy(b -> b.maxAttempts(1))
                    .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build();
  }

  CreateStateMachineResponse create(String name, String definition) {
    return sfn.createStateMachine(
        b ->
            b.name(name)
                .definition(definition)
                .roleArn(ROLE)
                .tags(Tag.builder().key("team").value("core").build()));
  }

  DescribeExecutionResponse awaitClosed(String executionArn) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
      if (d.status() != ExecutionStatus.RUNNING || Instant.now().isAfter(deadline)) {
        return d;
      }
      Thread.sleep(20);
    }
  }

  @Test
  void stateMachinesAreCreatedDescribedUpdatedListedTaggedAndDeleted() {
    CreateStateMachineResponse created = create("orders", PASS);
    assertThat(created.stateMachineArn())
        .isEqualTo("arn:aws:states:eu-west-3:210987654321:stateMachine:orders");
    // the same name, definition and configuration: the same machine (AWS's idempotent create)
    assertThat(create("orders", PASS).stateMachineArn()).isEqualTo(created.stateMachineArn());
    assertThat(create("orders", PASS).creationDate()).isEqualTo(created.creationDate());
    assertThatThrownBy(() -> create("orders", WAIT))
        .isInstanceOfSatisfying(
            StateMachineAlreadyExistsException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo(
                        "State Machine Already Exists: '" + created.stateMachineArn() + "'"));

    DescribeStateMachineResponse described =
        sfn.describeStateMachine(b -> b.stateMachineArn(created.stateMachineArn()));
    assertThat(described.name()).isEqualTo("orders");
    assertThat(described.definition()).isEqualTo(PASS);
    assertThat(described.roleArn()).isEqualTo(ROLE);
    assertThat(described.typeAsString()).isEqualTo("STANDARD");
    assertThat(described.statusAsString()).isEqualTo("ACTIVE");
    assertThat(described.creationDate()).isEqualTo(created.creationDate());
    assertThat(described.loggingConfiguration().levelAsString()).isEqualTo("OFF");
    assertThat(described.tracingConfiguration().enabled()).isFalse();
    assertThat(described.revisionId()).isNotBlank();

    var updated =
        sfn.updateStateMachine(b -> b.stateMachineArn(created.stateMachineArn()).definition(WAIT));
    assertThat(updated.revisionId()).isNotEqualTo(described.revisionId());
    DescribeStateMachineResponse after =
        sfn.describeStateMachine(b -> b.stateMachineArn(created.stateMachineArn()));
    assertThat(after.definition()).isEqualTo(WAIT);
    assertThat(after.revisionId()).isEqualTo(updated.revisionId());
    assertThat(after.creationDate()).isEqualTo(created.creationDate());
    assertThatThrownBy(
            () -> sfn.updateStateMachine(b -> b.stateMachineArn(created.stateMachineArn())))
        .isInstanceOfSatisfying(
            SfnException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingRequiredParameter"));

    sfn.tagResource(
        b ->
            b.resourceArn(created.stateMachineArn())
                .tags(
                    Tag.builder().key("team").value("payments").build(),
                    Tag.builder().key("tier").value("1").build()));
    sfn.untagResource(b -> b.resourceArn(created.stateMachineArn()).tagKeys("tier"));
    assertThat(sfn.listTagsForResource(b -> b.resourceArn(created.stateMachineArn())).tags())
        .containsExactly(Tag.builder().key("team").value("payments").build());

    for (int i = 0; i < 4; i++) {
      create("m" + i, PASS);
    }
    List<String> names = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      ListStateMachinesResponse page = sfn.listStateMachines(b -> b.maxResults(2).nextToken(t));
      page.stateMachines().forEach(m -> names.add(m.name()));
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(names).containsExactly("m0", "m1", "m2", "m3", "orders");

    sfn.deleteStateMachine(b -> b.stateMachineArn(created.stateMachineArn()));
    assertThatThrownBy(
            () -> sfn.describeStateMachine(b -> b.stateMachineArn(created.stateMachineArn())))
        .isInstanceOfSatisfying(
            StateMachineDoesNotExistException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo(
                        "State Machine Does Not Exist: '" + created.stateMachineArn() + "'"));
    // a fresh server on the same store still has the others
    server.close();
    server = startServer();
    sfn.close();
    sfn = client(KEY_ID, SECRET);
    assertThat(sfn.listStateMachines(b -> b.maxResults(10)).stateMachines()).hasSize(4);
  }

  @Test
  void badDefinitionsAndNamesGetAwsErrorsAndCreateNothing() {
    assertThatThrownBy(
            () ->
                create(
                    "bad",
                    "{\"StartAt\":\"Missing\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"))
        .isInstanceOfSatisfying(
            InvalidDefinitionException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .startsWith("Invalid State Machine Definition: '")
                    .contains("Missing"));
    assertThatThrownBy(() -> create("bad", "not json"))
        .isInstanceOfSatisfying(
            InvalidDefinitionException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .contains("INVALID_JSON_DESCRIPTION"));
    assertThatThrownBy(() -> create("has space", PASS)).isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> create("x".repeat(81), PASS)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(
            () -> sfn.createStateMachine(b -> b.name("r").definition(PASS).roleArn("not-a-role")))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn("nope")))
        .isInstanceOfSatisfying(
            InvalidArnException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("Invalid Arn: 'Invalid ARN prefix: nope'"));
    assertThat(sfn.listStateMachines(b -> {}).stateMachines()).isEmpty();
  }

  @Test
  void executionsRunDurablyAndAreDescribedListedAndStopped() throws Exception {
    String machine = create("flow", PASS).stateMachineArn();
    StartExecutionResponse started =
        sfn.startExecution(b -> b.stateMachineArn(machine).name("e1").input("{\"n\":1}"));
    assertThat(started.executionArn())
        .isEqualTo("arn:aws:states:eu-west-3:210987654321:execution:flow:e1");
    DescribeExecutionResponse done = awaitClosed(started.executionArn());
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("{\"n\":1,\"r\":{\"done\":true}}");
    assertThat(done.input()).isEqualTo("{\"n\":1}");
    assertThat(done.startDate()).isEqualTo(started.startDate());
    assertThat(done.stopDate()).isAfterOrEqualTo(done.startDate());
    assertThat(done.stateMachineArn()).isEqualTo(machine);

    // a name already used by a closed execution
    assertThatThrownBy(
            () -> sfn.startExecution(b -> b.stateMachineArn(machine).name("e1").input("{\"n\":1}")))
        .isInstanceOfSatisfying(
            ExecutionAlreadyExistsException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("Execution Already Exists: '" + started.executionArn() + "'"));

    // the machine's role is the execution's
    GetExecutionHistoryResponse history =
        sfn.getExecutionHistory(b -> b.executionArn(started.executionArn()));
    assertThat(history.events())
        .extracting(HistoryEvent::type)
        .containsExactly(
            HistoryEventType.EXECUTION_STARTED,
            HistoryEventType.PASS_STATE_ENTERED,
            HistoryEventType.PASS_STATE_EXITED,
            HistoryEventType.EXECUTION_SUCCEEDED);
    assertThat(history.events().get(0).executionStartedEventDetails().roleArn()).isEqualTo(ROLE);
    assertThat(history.events().get(0).executionStartedEventDetails().input())
        .isEqualTo("{\"n\":1}");
    assertThat(history.events().get(3).executionSucceededEventDetails().output())
        .isEqualTo(done.output());
    GetExecutionHistoryResponse quiet =
        sfn.getExecutionHistory(
            b -> b.executionArn(started.executionArn()).includeExecutionData(false));
    assertThat(quiet.events().get(0).executionStartedEventDetails().input()).isNull();
    assertThat(quiet.events().get(0).executionStartedEventDetails().roleArn()).isEqualTo(ROLE);

    var forExecution =
        sfn.describeStateMachineForExecution(b -> b.executionArn(started.executionArn()));
    assertThat(forExecution.definition()).isEqualTo(PASS);
    assertThat(forExecution.stateMachineArn()).isEqualTo(machine);

    // a waiting execution: idempotent start while running, listed as RUNNING, then stopped
    String waiting = create("sleepy", WAIT).stateMachineArn();
    String w1 =
        sfn.startExecution(b -> b.stateMachineArn(waiting).name("w1").input("{}")).executionArn();
    assertThat(
            sfn.startExecution(b -> b.stateMachineArn(waiting).name("w1").input("{}"))
                .executionArn())
        .isEqualTo(w1);
    assertThatThrownBy(
            () -> sfn.startExecution(b -> b.stateMachineArn(waiting).name("w1").input("{\"x\":1}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class);
    for (int i = 2; i <= 5; i++) {
      String n = "w" + i;
      sfn.startExecution(b -> b.stateMachineArn(waiting).name(n));
    }
    assertThat(
            sfn.listExecutions(
                    b -> b.stateMachineArn(waiting).statusFilter(ExecutionStatus.RUNNING))
                .executions())
        .hasSize(5);
    Instant stopDate =
        sfn.stopExecution(b -> b.executionArn(w1).error("Operator").cause("no longer needed"))
            .stopDate();
    DescribeExecutionResponse stopped = sfn.describeExecution(b -> b.executionArn(w1));
    assertThat(stopped.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(stopped.stopDate()).isEqualTo(stopDate);
    assertThat(stopped.error()).isEqualTo("Operator");
    assertThat(stopped.cause()).isEqualTo("no longer needed");
    List<HistoryEvent> events = sfn.getExecutionHistory(b -> b.executionArn(w1)).events();
    assertThat(events.get(events.size() - 1).type()).isEqualTo(HistoryEventType.EXECUTION_ABORTED);

    // list: newest first, paged, filtered
    List<String> seen = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      ListExecutionsResponse page =
          sfn.listExecutions(b -> b.stateMachineArn(waiting).maxResults(2).nextToken(t));
      page.executions().stream().map(ExecutionListItem::name).forEach(seen::add);
      token = page.nextToken();
    } while (token != null);
    assertThat(seen).containsExactlyInAnyOrder("w1", "w2", "w3", "w4", "w5");
    assertThat(
            sfn.listExecutions(
                    b -> b.stateMachineArn(waiting).statusFilter(ExecutionStatus.ABORTED))
                .executions())
        .extracting(ExecutionListItem::name)
        .containsExactly("w1");
    assertThatThrownBy(
            () -> sfn.listExecutions(b -> b.stateMachineArn(waiting).nextToken("forged")))
        .isInstanceOfSatisfying(
            SfnException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidToken"));

    // deleting a machine stops its running executions
    sfn.deleteStateMachine(b -> b.stateMachineArn(waiting));
    assertThat(sfn.describeExecution(b -> b.executionArn(started.executionArn())).status())
        .isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(awaitClosed(waiting.replace(":stateMachine:", ":execution:") + ":w2").status())
        .isEqualTo(ExecutionStatus.ABORTED);
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(waiting)))
        .isInstanceOf(StateMachineDoesNotExistException.class);
  }

  @Test
  void longHistoriesPageBothWays() throws Exception {
    StringBuilder states = new StringBuilder();
    int n = 30;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        states.append(',');
      }
      states
          .append("\"S")
          .append(i)
          .append("\":{\"Type\":\"Pass\",")
          .append(i == n - 1 ? "\"End\":true}" : "\"Next\":\"S" + (i + 1) + "\"}");
    }
    String machine =
        create("long", "{\"StartAt\":\"S0\",\"States\":{" + states + "}}").stateMachineArn();
    String execution = sfn.startExecution(b -> b.stateMachineArn(machine).name("x")).executionArn();
    assertThat(awaitClosed(execution).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    for (boolean reverse : new boolean[] {false, true}) {
      List<Long> ids = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        String t = token;
        GetExecutionHistoryResponse page =
            sfn.getExecutionHistory(
                b -> b.executionArn(execution).maxResults(7).reverseOrder(reverse).nextToken(t));
        page.events().forEach(e -> ids.add(e.id()));
        token = page.nextToken();
        pages++;
      } while (token != null);
      List<Long> expected = new ArrayList<>();
      for (long id = 1; id <= 2L * n + 2; id++) {
        expected.add(id);
      }
      if (reverse) {
        java.util.Collections.reverse(expected);
      }
      assertThat(ids).isEqualTo(expected);
      assertThat(pages).isEqualTo((2 * n + 2 + 6) / 7);
    }
  }

  @Test
  void unknownResourcesAndBadInputAreRefusedAndStoreNothing() throws Exception {
    String machine = create("guarded", PASS).stateMachineArn();
    String missing = machine.replace("guarded", "absent");
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(missing)))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(
            () ->
                sfn.describeExecution(
                    b -> b.executionArn(machine.replace(":stateMachine:", ":execution:") + ":no")))
        .isInstanceOfSatisfying(
            ExecutionDoesNotExistException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .startsWith("Execution Does Not Exist: '"));
    assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(missing)))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(
            () -> sfn.startExecution(b -> b.stateMachineArn(machine).name("j").input("{oops")))
        .isInstanceOfSatisfying(
            SfnException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidExecutionInput"));
    String big = "{\"pad\":\"" + "x".repeat(300 * 1024) + "\"}";
    assertThatThrownBy(
            () -> sfn.startExecution(b -> b.stateMachineArn(machine).name("big").input(big)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage()).contains("262144"));
    assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine)).executions()).isEmpty();
    assertThat(store.list(machine, null, 0, null).executions()).isEmpty();

    String noExecution = machine.replace(":stateMachine:", ":execution:") + ":none";
    assertThatThrownBy(() -> sfn.stopExecution(b -> b.executionArn(noExecution)))
        .isInstanceOf(ExecutionDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.getExecutionHistory(b -> b.executionArn(noExecution)))
        .isInstanceOf(ExecutionDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn(noExecution)))
        .isInstanceOfSatisfying(
            InvalidArnException.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo(
                        "Invalid Arn: 'Resource type not valid in this context: execution'"));
    assertThatThrownBy(
            () ->
                sfn.tagResource(
                    b -> b.resourceArn(missing).tags(Tag.builder().key("k").value("v").build())))
        .isInstanceOf(ResourceNotFoundException.class);
    List<Tag> many = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      many.add(Tag.builder().key("k" + i).value("v").build());
    }
    assertThatThrownBy(() -> sfn.tagResource(b -> b.resourceArn(machine).tags(many)))
        .isInstanceOf(TooManyTagsException.class);
    assertThat(sfn.listTagsForResource(b -> b.resourceArn(machine)).tags())
        .containsExactly(Tag.builder().key("team").value("core").build());
    assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(machine).maxResults(1001)))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void signaturesAreChecked() {
    create("signed", PASS);
    try (SfnClient wrongSecret = client(KEY_ID, "not-the-secret");
        SfnClient unknownKey = client("AKIDUNKNOWN", SECRET)) {
      assertThatThrownBy(() -> wrongSecret.listStateMachines(b -> {}))
          .isInstanceOfSatisfying(
              SfnException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                assertThat(e.statusCode()).isEqualTo(400);
              });
      assertThatThrownBy(
              () ->
                  wrongSecret.deleteStateMachine(
                      b ->
                          b.stateMachineArn(
                              "arn:aws:states:eu-west-3:210987654321:stateMachine:signed")))
          .isInstanceOf(SfnException.class);
      assertThatThrownBy(() -> unknownKey.listStateMachines(b -> {}))
          .isInstanceOfSatisfying(
              SfnException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("UnrecognizedClientException");
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("The security token included in the request is invalid.");
              });
    }
    // the refused delete changed nothing
    assertThat(sfn.listStateMachines(b -> {}).stateMachines()).hasSize(1);
  }

  @Test
  void validationAndTestStateAnswerAsAwsDoes() {
    ValidateStateMachineDefinitionResponse ok =
        sfn.validateStateMachineDefinition(b -> b.definition(PASS));
    assertThat(ok.resultAsString()).isEqualTo("OK");
    assertThat(ok.diagnostics()).isEmpty();
    ValidateStateMachineDefinitionResponse fail =
        sfn.validateStateMachineDefinition(b -> b.definition("{\"StartAt\":\"X\",\"States\":{}}"));
    assertThat(fail.resultAsString()).isEqualTo("FAIL");
    assertThat(fail.diagnostics()).isNotEmpty();
    assertThat(fail.diagnostics().get(0).severityAsString()).isEqualTo("ERROR");

    TestStateResponse r =
        sfn.testState(
            b ->
                b.definition("{\"Type\":\"Pass\",\"Result\":{\"a\":1},\"Next\":\"N\"}")
                    .input("{\"x\":1}")
                    .inspectionLevel("DEBUG"));
    assertThat(r.statusAsString()).isEqualTo("SUCCEEDED");
    assertThat(r.output()).isEqualTo("{\"a\":1}");
    assertThat(r.nextState()).isEqualTo("N");
    assertThat(r.inspectionData()).isNotNull();
    assertThat(r.inspectionData().input()).isEqualTo("{\"x\":1}");
  }

  @Test
  void aSignatureFromAClockFifteenMinutesAwayHasExpired() {
    try (TroupeServer later =
        TroupeServer.start(
            config(),
            store,
            java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(16)))) {
      try (SfnClient behind =
          SfnClient.builder()
              .endpointOverride(URI.create(later.endpoint()))
              .region(Region.of("eu-west-3"))
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
              .httpClient(UrlConnectionHttpClient.create())
              .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
              .build()) {
        assertThatThrownBy(() -> behind.listStateMachines(b -> {}))
            .isInstanceOfSatisfying(
                SfnException.class,
                e -> {
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("InvalidSignatureException");
                  assertThat(e.awsErrorDetails().errorMessage()).startsWith("Signature expired: ");
                });
      }
    }
  }

  @Test
  void stopDateOfAClosedExecutionIsItsOwn() throws Exception {
    String machine = create("quick", PASS).stateMachineArn();
    String e = sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn();
    DescribeExecutionResponse done = awaitClosed(e);
    assertThat(sfn.stopExecution(b -> b.executionArn(e)).stopDate()).isEqualTo(done.stopDate());
    assertThat(sfn.describeExecution(b -> b.executionArn(e)).status())
        .isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Duration.between(done.startDate(), done.stopDate()))
        .isLessThan(Duration.ofSeconds(10));
  }
}
