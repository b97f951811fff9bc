package dev.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeNameException;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;
import software.amazon.awssdk.services.sqs.model.UnsupportedOperationException;

/**
 * The queue service through the real AWS SDK for Java v2 ({@code sqs} client, JSON protocol, signed
 * with SigV4, its MD5 checks of bodies and attributes on) against a real server over a real SQLite
 * file: queues' life cycle, messages sent and received with long polling, the visibility timeout
 * and redelivery, batches with per-entry failures, a redrive to a dead-letter queue, purge, AWS's
 * errors and codes, and messages that outlive a restart of the server.
 */
class QueuesSdkTest {
  static final String KEY_ID = "AKIDQUEUESTEST";
  static final String SECRET = "queues-test-secret";
  static final String ACCOUNT = "210987654321";
  static final ArnScheme ARNS = new ArnScheme("eu-west-3", ACCOUNT);

  @TempDir Path temp;
  JdbcStore store;
  TroupeServer server;
  SqsClient sqs;

  @BeforeEach
  void start() {
    store = SqliteStore.open(temp.resolve("data"));
    server = server(store, 0);
    sqs = client(server);
  }

  /** A second server on the same SQLite file and port, as after a restart. */
  void restart(int port) {
    store = SqliteStore.open(temp.resolve("data"));
    server = server(store, port);
    sqs = client(server);
  }

  static TroupeServer server(JdbcStore store, int port) {
    return TroupeServer.start(
        new ServerConfig(
            "127.0.0.1",
            port,
            ARNS,
            Map.of(KEY_ID, SECRET),
            ServerConfig.DEFAULT_MAX_REQUEST_BYTES),
        store);
  }

  static SqsClient client(TroupeServer server) {
    return SqsClient.builder()
        .endpointOverride(URI.create(server.endpoint()))
        .region(Region.of("eu-west-3"))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
        .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(40)))
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  @AfterEach
  void stop() {
    sqs.close();
    server.close();
    store.close();
  }

  static MessageAttributeValue attribute(Message m, String name) {
    return java.util.Objects.requireNonNull(m.messageAttributes().get(name), name);
  }

  String url(String name) {
    return server.endpoint() + "/" + ACCOUNT + "/" + name;
  }

  String arn(String name) {
    return "arn:aws:sqs:eu-west-3:" + ACCOUNT + ":" + name;
  }

  String create(String name, Map<String, String> attributes) {
    return sqs.createQueue(b -> b.queueName(name).attributesWithStrings(attributes)).queueUrl();
  }

  @Test
  void queuesAreCreatedListedDescribedTaggedAndDeleted() {
    String orders = create("orders", Map.of("VisibilityTimeout", "45", "DelaySeconds", "2"));
    assertThat(orders).isEqualTo(url("orders"));
    for (String n : List.of("orders-eu", "orders-us", "invoices")) {
      create(n, Map.of());
    }
    assertThat(sqs.getQueueUrl(b -> b.queueName("orders-eu")).queueUrl())
        .isEqualTo(url("orders-eu"));

    assertThat(sqs.listQueues().queueUrls())
        .containsExactly(url("invoices"), url("orders"), url("orders-eu"), url("orders-us"));
    ListQueuesResponse first = sqs.listQueues(b -> b.queueNamePrefix("orders").maxResults(2));
    assertThat(first.queueUrls()).containsExactly(url("orders"), url("orders-eu"));
    assertThat(first.nextToken()).isNotNull();
    ListQueuesResponse second =
        sqs.listQueues(b -> b.queueNamePrefix("orders").maxResults(2).nextToken(first.nextToken()));
    assertThat(second.queueUrls()).containsExactly(url("orders-us"));
    assertThat(second.nextToken()).isNull();
    // the paginator follows the tokens
    assertThat(sqs.listQueuesPaginator(b -> b.maxResults(1)).queueUrls()).hasSize(4);

    Map<String, String> all =
        sqs.getQueueAttributes(b -> b.queueUrl(orders).attributeNames(QueueAttributeName.ALL))
            .attributesAsStrings();
    assertThat(all)
        .containsEntry("QueueArn", arn("orders"))
        .containsEntry("VisibilityTimeout", "45")
        .containsEntry("DelaySeconds", "2")
        .containsEntry("MaximumMessageSize", "1048576")
        .containsEntry("MessageRetentionPeriod", "345600")
        .containsEntry("ReceiveMessageWaitTimeSeconds", "0")
        .containsEntry("ApproximateNumberOfMessages", "0")
        .containsEntry("ApproximateNumberOfMessagesNotVisible", "0")
        .containsEntry("ApproximateNumberOfMessagesDelayed", "0")
        .containsKeys("CreatedTimestamp", "LastModifiedTimestamp");
    long created = Long.parseLong(all.get("CreatedTimestamp"));
    assertThat(created)
        .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));

    sqs.setQueueAttributes(
        b -> b.queueUrl(orders).attributesWithStrings(Map.of("DelaySeconds", "0")));
    assertThat(
            sqs.getQueueAttributes(
                    b -> b.queueUrl(orders).attributeNames(QueueAttributeName.DELAY_SECONDS))
                .attributesAsStrings())
        .isEqualTo(Map.of("DelaySeconds", "0"));

    // CreateQueue of an existing name: the same URL when the given attributes agree
    assertThat(create("orders", Map.of("VisibilityTimeout", "45"))).isEqualTo(orders);
    assertThatThrownBy(() -> create("orders", Map.of("VisibilityTimeout", "46")))
        .isInstanceOfSatisfying(
            QueueNameExistsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("QueueAlreadyExists");
              assertThat(e.getMessage()).contains("VisibilityTimeout");
            });

    sqs.tagQueue(b -> b.queueUrl(orders).tags(Map.of("team", "billing", "env", "test")));
    sqs.untagQueue(b -> b.queueUrl(orders).tagKeys("env"));
    assertThat(sqs.listQueueTags(b -> b.queueUrl(orders)).tags())
        .isEqualTo(Map.of("team", "billing"));

    sqs.deleteQueue(b -> b.queueUrl(orders));
    assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName("orders")))
        .isInstanceOfSatisfying(
            QueueDoesNotExistException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode())
                  .isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(orders).messageBody("x")))
        .isInstanceOf(QueueDoesNotExistException.class);
    assertThat(sqs.listQueues().queueUrls()).doesNotContain(orders);
  }

  @Test
  void aLongPollIsAnsweredByASendAndMessagesKeepTheirAttributes() throws Exception {
    String q = create("work", Map.of());
    long before = System.nanoTime();
    ReceiveMessageResponse nothing = sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(1));
    assertThat(nothing.messages()).isEmpty();
    assertThat(System.nanoTime() - before)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));

    CompletableFuture<ReceiveMessageResponse> poll =
        CompletableFuture.supplyAsync(
            () ->
                sqs.receiveMessage(
                    b ->
                        b.queueUrl(q)
                            .waitTimeSeconds(20)
                            .maxNumberOfMessages(10)
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                            .messageAttributeNames("All")));
    Thread.sleep(500);
    assertThat(poll).isNotDone();
    long sentAt = System.currentTimeMillis();
    SendMessageResponse sent =
        sqs.sendMessage(
            b ->
                b.queueUrl(q)
                    .messageBody("hello")
                    .messageAttributes(
                        Map.of(
                            "kind",
                            MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("greeting")
                                .build(),
                            "weight",
                            MessageAttributeValue.builder()
                                .dataType("Number.kg")
                                .stringValue("1.5")
                                .build(),
                            "blob",
                            MessageAttributeValue.builder()
                                .dataType("Binary")
                                .binaryValue(
                                    SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 255}))
                                .build()))
                    .messageSystemAttributes(
                        Map.of(
                            MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                            MessageSystemAttributeValue.builder()
                                .dataType("String")
                                .stringValue("Root=1-5759e988-bd862e3fe1be46a994272793")
                                .build())));
    assertThat(sent.md5OfMessageBody()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
    assertThat(sent.md5OfMessageAttributes()).matches("[0-9a-f]{32}");
    assertThat(sent.md5OfMessageSystemAttributes()).matches("[0-9a-f]{32}");

    ReceiveMessageResponse got = poll.get(10, TimeUnit.SECONDS);
    assertThat(System.currentTimeMillis() - sentAt).isLessThan(10_000);
    assertThat(got.messages()).hasSize(1);
    Message m = got.messages().get(0);
    assertThat(m.messageId()).isEqualTo(sent.messageId());
    assertThat(m.body()).isEqualTo("hello");
    assertThat(m.md5OfBody()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
    // the SDK checked this digest against the attributes it received
    assertThat(m.md5OfMessageAttributes()).isEqualTo(sent.md5OfMessageAttributes());
    assertThat(attribute(m, "kind").stringValue()).isEqualTo("greeting");
    assertThat(attribute(m, "weight").dataType()).isEqualTo("Number.kg");
    assertThat(attribute(m, "blob").binaryValue().asByteArray()).containsExactly(0, 1, 2, 255);
    Map<MessageSystemAttributeName, String> attributes = m.attributes();
    assertThat(attributes.get(MessageSystemAttributeName.SENDER_ID)).isEqualTo(ACCOUNT);
    assertThat(attributes.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).isEqualTo("1");
    assertThat(attributes.get(MessageSystemAttributeName.AWS_TRACE_HEADER))
        .isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793");
    assertThat(Long.parseLong(attributes.get(MessageSystemAttributeName.SENT_TIMESTAMP)))
        .isBetween(sentAt - 5_000, sentAt + 5_000);

    // a prefix selects the message attributes returned
    sqs.changeMessageVisibility(
        b -> b.queueUrl(q).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    Message again =
        sqs.receiveMessage(b -> b.queueUrl(q).messageAttributeNames("ki.*", "weight"))
            .messages()
            .get(0);
    assertThat(again.messageAttributes()).containsOnlyKeys("weight");
    assertThat(again.attributes()).isEmpty();
    sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(again.receiptHandle()));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(q)).messages()).isEmpty();
  }

  @Test
  void anUndeletedMessageComesBackAfterItsVisibilityTimeout() throws Exception {
    String q = create("retry", Map.of("VisibilityTimeout", "1"));
    sqs.sendMessage(b -> b.queueUrl(q).messageBody("job-1"));
    Message first = sqs.receiveMessage(b -> b.queueUrl(q)).messages().get(0);
    assertThat(sqs.receiveMessage(b -> b.queueUrl(q)).messages()).isEmpty();
    Map<String, String> counts =
        sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNames(QueueAttributeName.ALL))
            .attributesAsStrings();
    assertThat(counts)
        .containsEntry("ApproximateNumberOfMessages", "0")
        .containsEntry("ApproximateNumberOfMessagesNotVisible", "1");

    Message second =
        sqs.receiveMessage(
                b ->
                    b.queueUrl(q)
                        .waitTimeSeconds(5)
                        .messageSystemAttributeNames(
                            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                            MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP))
            .messages()
            .get(0);
    assertThat(second.messageId()).isEqualTo(first.messageId());
    assertThat(second.receiptHandle()).isNotEqualTo(first.receiptHandle());
    assertThat(second.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
        .isEqualTo("2");

    // the first receive's handle no longer deletes (SQS: the request succeeds, nothing deleted)
    sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(first.receiptHandle()));
    assertThatThrownBy(
            () ->
                sqs.changeMessageVisibility(
                    b -> b.queueUrl(q).receiptHandle(first.receiptHandle()).visibilityTimeout(5)))
        .isInstanceOfSatisfying(
            SqsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    sqs.changeMessageVisibility(
        b -> b.queueUrl(q).receiptHandle(second.receiptHandle()).visibilityTimeout(60));
    Thread.sleep(1_200);
    assertThat(sqs.receiveMessage(b -> b.queueUrl(q)).messages()).isEmpty();
    sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(second.receiptHandle()));
    assertThat(
            sqs.getQueueAttributes(b -> b.queueUrl(q).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings())
        .containsEntry("ApproximateNumberOfMessages", "0")
        .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
    assertThatThrownBy(
            () -> sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle("not-a-receipt-handle")))
        .isInstanceOfSatisfying(
            ReceiptHandleIsInvalidException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ReceiptHandleIsInvalid"));
  }

  @Test
  void batchesAnswerEachEntry() {
    String q = create("batch", Map.of());
    SendMessageBatchResponse sent =
        sqs.sendMessageBatch(
            b ->
                b.queueUrl(q)
                    .entries(
                        e -> e.id("a").messageBody("first"),
                        e -> e.id("b").messageBody("late").delaySeconds(1000),
                        e -> e.id("c").messageBody("bad \u0000 char"),
                        e -> e.id("d").messageBody("second")));
    assertThat(sent.successful()).extracting(r -> r.id()).containsExactly("a", "d");
    assertThat(sent.successful().get(0).md5OfMessageBody())
        .isEqualTo("8b04d5e3775d298e78455efc5ca404d5");
    assertThat(sent.failed())
        .extracting(
            BatchResultErrorEntry::id,
            BatchResultErrorEntry::code,
            BatchResultErrorEntry::senderFault)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("b", "InvalidParameterValue", true),
            org.assertj.core.groups.Tuple.tuple("c", "InvalidMessageContents", true));

    List<Message> got = sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(10)).messages();
    assertThat(got).extracting(Message::body).containsExactlyInAnyOrder("first", "second");

    ChangeMessageVisibilityBatchResponse changed =
        sqs.changeMessageVisibilityBatch(
            b ->
                b.queueUrl(q)
                    .entries(
                        e ->
                            e.id("x")
                                .receiptHandle(got.get(0).receiptHandle())
                                .visibilityTimeout(0),
                        e -> e.id("y").receiptHandle("garbage").visibilityTimeout(0)));
    assertThat(changed.successful()).extracting(r -> r.id()).containsExactly("x");
    assertThat(changed.failed())
        .extracting(BatchResultErrorEntry::code)
        .containsExactly("ReceiptHandleIsInvalid");

    Message back = sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(10)).messages().get(0);
    assertThat(back.messageId()).isEqualTo(got.get(0).messageId());
    DeleteMessageBatchResponse deleted =
        sqs.deleteMessageBatch(
            b ->
                b.queueUrl(q)
                    .entries(
                        e -> e.id("1").receiptHandle(back.receiptHandle()),
                        e -> e.id("2").receiptHandle(got.get(1).receiptHandle()),
                        e -> e.id("3").receiptHandle("nope")));
    assertThat(deleted.successful()).extracting(r -> r.id()).containsExactly("1", "2");
    assertThat(deleted.failed()).extracting(BatchResultErrorEntry::id).containsExactly("3");

    List<software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry> eleven =
        new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      int n = i;
      eleven.add(
          software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
              .id("m" + n)
              .messageBody("x")
              .build());
    }
    assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(q).entries(eleven)))
        .isInstanceOfSatisfying(
            TooManyEntriesInBatchRequestException.class,
            e ->
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("AWS.SimpleQueueService.TooManyEntriesInBatchRequest"));
    assertThatThrownBy(
            () ->
                sqs.sendMessageBatch(
                    b ->
                        b.queueUrl(q)
                            .entries(
                                e -> e.id("same").messageBody("1"),
                                e -> e.id("same").messageBody("2"))))
        .isInstanceOf(BatchEntryIdsNotDistinctException.class);
    assertThatThrownBy(() -> sqs.deleteMessageBatch(b -> b.queueUrl(q).entries(List.of())))
        .isInstanceOf(EmptyBatchRequestException.class);
    assertThat(sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(10)).messages()).isEmpty();
  }

  @Test
  void aMessageReceivedTooOftenMovesToTheDeadLetterQueue() {
    String dlq = create("orders-dlq", Map.of());
    String redrive =
        "{\"deadLetterTargetArn\":\"" + arn("orders-dlq") + "\",\"maxReceiveCount\":\"2\"}";
    String q = create("orders", Map.of("VisibilityTimeout", "0", "RedrivePolicy", redrive));
    assertThat(
            sqs.getQueueAttributes(
                    b -> b.queueUrl(q).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributesAsStrings()
                .get("RedrivePolicy"))
        .isEqualTo("{\"deadLetterTargetArn\":\"" + arn("orders-dlq") + "\",\"maxReceiveCount\":2}");
    assertThat(sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls()).containsExactly(q);

    String id = sqs.sendMessage(b -> b.queueUrl(q).messageBody("poison")).messageId();
    for (int i = 1; i <= 2; i++) {
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(q)).messages();
      assertThat(got).extracting(Message::messageId).containsExactly(id);
    }
    assertThat(sqs.receiveMessage(b -> b.queueUrl(q)).messages()).isEmpty();
    Message dead =
        sqs.receiveMessage(
                b -> b.queueUrl(dlq).messageSystemAttributeNames(MessageSystemAttributeName.ALL))
            .messages()
            .get(0);
    assertThat(dead.messageId()).isEqualTo(id);
    assertThat(dead.body()).isEqualTo("poison");
    assertThat(dead.attributes().get(MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN))
        .isEqualTo(arn("orders"));

    assertThatThrownBy(
            () ->
                create(
                    "other",
                    Map.of(
                        "RedrivePolicy",
                        "{\"deadLetterTargetArn\":\""
                            + arn("missing")
                            + "\",\"maxReceiveCount\":3}")))
        .isInstanceOfSatisfying(
            SqsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
              assertThat(e.getMessage()).contains("Dead letter target does not exist");
            });
    // an empty policy removes the redrive
    sqs.setQueueAttributes(b -> b.queueUrl(q).attributesWithStrings(Map.of("RedrivePolicy", "")));
    assertThat(sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls()).isEmpty();
  }

  @Test
  void purgeAndTheErrorsOfBadRequests() {
    String q = create("purged", Map.of());
    sqs.sendMessage(b -> b.queueUrl(q).messageBody("1"));
    sqs.sendMessage(b -> b.queueUrl(q).messageBody("2"));
    sqs.purgeQueue(b -> b.queueUrl(q));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(10)).messages()).isEmpty();
    assertThatThrownBy(() -> sqs.purgeQueue(b -> b.queueUrl(q)))
        .isInstanceOfSatisfying(
            PurgeQueueInProgressException.class,
            e ->
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("AWS.SimpleQueueService.PurgeQueueInProgress"));

    assertThatThrownBy(() -> sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(11)))
        .isInstanceOfSatisfying(
            SqsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
              assertThat(e.getMessage()).contains("MaxNumberOfMessages");
            });
    assertThatThrownBy(() -> sqs.receiveMessage(b -> b.queueUrl(q).waitTimeSeconds(21)))
        .isInstanceOf(SqsException.class)
        .hasMessageContaining("WaitTimeSeconds");
    assertThatThrownBy(() -> create("bad", Map.of("VisibilityTimeout", "43201")))
        .isInstanceOfSatisfying(
            SqsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAttributeValue"));
    assertThatThrownBy(
            () ->
                sqs.getQueueAttributes(
                    b -> b.queueUrl(q).attributeNamesWithStrings("NoSuchAttribute")))
        .isInstanceOf(InvalidAttributeNameException.class);
    assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("has space")))
        .isInstanceOfSatisfying(
            SqsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("jobs.fifo")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(
            () ->
                sqs.sendMessage(
                    b -> b.queueUrl(server.endpoint() + "/999999999999/purged").messageBody("x")))
        .isInstanceOf(QueueDoesNotExistException.class);
    String big = "x".repeat(1024);
    sqs.setQueueAttributes(
        b -> b.queueUrl(q).attributesWithStrings(Map.of("MaximumMessageSize", "1024")));
    sqs.sendMessage(b -> b.queueUrl(q).messageBody(big));
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(q).messageBody(big + "y")))
        .isInstanceOfSatisfying(
            SqsException.class,
            e -> assertThat(e.getMessage()).contains("Message must be shorter than 1024 bytes"));
  }

  @Test
  void messagesSentBeforeARestartAreReceivedAfterIt() {
    String q = create("durable", Map.of("VisibilityTimeout", "1"));
    for (String body : List.of("one", "two", "three")) {
      sqs.sendMessage(b -> b.queueUrl(q).messageBody(body));
    }
    Message inFlight = sqs.receiveMessage(b -> b.queueUrl(q)).messages().get(0);
    int port = server.port();
    stop();
    restart(port);

    assertThat(sqs.getQueueUrl(b -> b.queueName("durable")).queueUrl()).isEqualTo(q);
    List<String> bodies = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 15_000;
    while (bodies.size() < 3 && System.currentTimeMillis() < deadline) {
      for (Message m :
          sqs.receiveMessage(b -> b.queueUrl(q).maxNumberOfMessages(10).waitTimeSeconds(2))
              .messages()) {
        bodies.add(m.body());
        sqs.deleteMessage(b -> b.queueUrl(q).receiptHandle(m.receiptHandle()));
      }
    }
    assertThat(bodies).containsExactlyInAnyOrder("one", "two", "three");
    assertThat(bodies).contains(inFlight.body());
  }
}
