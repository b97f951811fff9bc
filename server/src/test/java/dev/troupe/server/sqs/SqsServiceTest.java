package dev.troupe.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.server.protocol.ApiError;
import dev.troupe.store.memory.InMemoryQueueStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The queue service on a clock moved by hand: delays, visibility timeouts, retention and the purge
 * interval follow the injected clock, never the machine's; queue URLs and ARNs are read as SQS
 * reads them; the bus's and state machines' door ({@code sendToArn}).
 */
class SqsServiceTest {
  static final class HandClock extends Clock {
    Instant now = Instant.parse("2026-11-23T12:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  final HandClock clock = new HandClock();
  final SqsService sqs =
      new SqsService(new InMemoryQueueStore(), clock, "eu-north-1", "111122223333");

  static SqsService.Receive receive(int max) {
    return new SqsService.Receive(max, null, 0, List.of("All"), List.of("All"));
  }

  static String code(Throwable t) {
    ApiError e = (ApiError) t;
    return String.valueOf(e.queryError());
  }

  @Test
  void delaysVisibilityAndRetentionFollowTheInjectedClock() {
    sqs.createQueue(
        "q",
        Map.of("DelaySeconds", "10", "VisibilityTimeout", "30", "MessageRetentionPeriod", "60"),
        Map.of());
    sqs.send("q", new SqsService.Outgoing("late", null, Map.of(), Map.of(), null, null));
    assertThat(sqs.receive("q", receive(10))).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    List<SqsService.Received> got = sqs.receive("q", receive(10));
    assertThat(got).extracting(SqsService.Received::body).containsExactly("late");
    assertThat(got.get(0).attributes())
        .containsEntry("SentTimestamp", Long.toString(clock.now.minusSeconds(10).toEpochMilli()))
        .containsEntry("ApproximateFirstReceiveTimestamp", Long.toString(clock.now.toEpochMilli()));
    clock.advance(Duration.ofSeconds(29));
    assertThat(sqs.receive("q", receive(10))).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(sqs.receive("q", receive(10))).hasSize(1);
    // sent 70 s ago with a retention of 60 s: gone
    clock.advance(Duration.ofSeconds(30));
    assertThat(sqs.receive("q", receive(10))).isEmpty();
    assertThat(sqs.attributes("q", List.of("ApproximateNumberOfMessagesNotVisible")))
        .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
  }

  @Test
  void purgeIsAllowedOncePerMinuteOfTheClock() {
    sqs.createQueue("q", Map.of(), Map.of());
    sqs.purge("q");
    clock.advance(Duration.ofSeconds(59));
    assertThatThrownBy(() -> sqs.purge("q"))
        .satisfies(
            t ->
                assertThat(code(t))
                    .isEqualTo("AWS.SimpleQueueService.PurgeQueueInProgress;Sender"));
    clock.advance(Duration.ofSeconds(1));
    sqs.purge("q");
  }

  @Test
  void queueUrlsAreReadByTheirPath() {
    sqs.createQueue("orders", Map.of(), Map.of());
    assertThat(sqs.queueOfUrl("http://localhost:4566/111122223333/orders")).isEqualTo("orders");
    assertThat(sqs.queueOfUrl("https://sqs.eu-north-1.amazonaws.com/111122223333/orders/"))
        .isEqualTo("orders");
    assertThatThrownBy(() -> sqs.queueOfUrl("http://localhost/999999999999/orders"))
        .satisfies(t -> assertThat(code(t)).startsWith("AWS.SimpleQueueService.NonExistentQueue"));
    for (String bad : List.of("http://localhost/orders", "not a url", "http://h/1/2/3")) {
      assertThatThrownBy(() -> sqs.queueOfUrl(bad))
          .satisfies(t -> assertThat(code(t)).isEqualTo("InvalidAddress;Sender"));
    }
    assertThat(sqs.queueOfArn("arn:aws:sqs:eu-north-1:111122223333:orders")).isEqualTo("orders");
    assertThat(sqs.queueOfArn("arn:aws:sqs:us-east-1:111122223333:orders")).isNull();
  }

  @Test
  void theBusAndStateMachinesSendByArn() {
    sqs.createQueue("events", Map.of(), Map.of());
    SqsService.Sent sent =
        sqs.sendToArn(
            "arn:aws:sqs:eu-north-1:111122223333:events",
            "{\"detail\":{}}",
            Map.of("ERROR_CODE", "SDK_CLIENT_ERROR"));
    SqsService.Received got = sqs.receive("events", receive(1)).get(0);
    assertThat(got.messageId()).isEqualTo(sent.messageId());
    assertThat(got.body()).isEqualTo("{\"detail\":{}}");
    assertThat(
            java.util.Objects.requireNonNull(got.messageAttributes().get("ERROR_CODE"))
                .stringValue())
        .isEqualTo("SDK_CLIENT_ERROR");
    assertThat(got.md5OfMessageAttributes()).isEqualTo(sent.md5OfAttributes());
    assertThatThrownBy(
            () -> sqs.sendToArn("arn:aws:sqs:eu-north-1:111122223333:absent", "x", Map.of()))
        .satisfies(t -> assertThat(code(t)).startsWith("AWS.SimpleQueueService.NonExistentQueue"));
  }

  @Test
  void theDigestOfAttributesIsSqssDocumentedEncoding() {
    // one String attribute "a" = "b": name, type, transport 1, value, each length-prefixed
    byte[] encoded = {
      0, 0, 0, 1, 'a', 0, 0, 0, 6, 'S', 't', 'r', 'i', 'n', 'g', 1, 0, 0, 0, 1, 'b'
    };
    assertThat(MessageDigests.ofAttributes(Map.of("a", new MessageAttribute("String", "b", null))))
        .isEqualTo(MessageDigests.md5(encoded));
    byte[] binary = {
      0, 0, 0, 1, 'z', 0, 0, 0, 6, 'B', 'i', 'n', 'a', 'r', 'y', 2, 0, 0, 0, 2, 7, 9
    };
    assertThat(
            MessageDigests.ofAttributes(
                Map.of("z", new MessageAttribute("Binary", null, new byte[] {7, 9}))))
        .isEqualTo(MessageDigests.md5(binary));
  }
}
