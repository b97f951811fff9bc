package dev.troupe.runtime.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.bus.BusJson;
import dev.troupe.bus.PutEventsValidation;
import dev.troupe.store.bus.Delivery;
import dev.troupe.store.bus.GivenUpDelivery;
import dev.troupe.store.bus.RuleRecord;
import dev.troupe.store.bus.TargetRecord;
import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bus's shell on a real SQLite file, with a virtual clock and a recording target port. */
class EventBusTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:orders";
  static final String QUEUE = "arn:aws:sqs:us-east-1:123456789012:dlq";

  @TempDir Path dir;
  final VirtualClock clock = new VirtualClock(T0);
  final RecordingPort port = new RecordingPort();
  JdbcStore store;
  EventBus bus;

  @BeforeEach
  void open() {
    store = SqliteStore.open(dir);
    bus = busOn(store);
  }

  @AfterEach
  void close() {
    bus.close();
    store.close();
  }

  EventBus busOn(JdbcStore s) {
    EventBus b =
        new EventBus(s.busCatalog(), s.bus(), port, clock, 42L, "123456789012", "us-east-1");
    b.load();
    return b;
  }

  void reopen() {
    bus.close();
    store.close();
    open();
  }

  RuleRecord rule(String name, String pattern) {
    return new RuleRecord(
        "default",
        name,
        bus.ruleArn("default", name),
        pattern,
        null,
        "ENABLED",
        null,
        null,
        clock.instant());
  }

  static TargetRecord target(String id, String arn, String extra) {
    return new TargetRecord(
        id, arn, "{\"Id\":\"" + id + "\",\"Arn\":\"" + arn + "\"" + extra + "}");
  }

  List<String> put(int n, String source) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i += 10) {
      List<PutEventsValidation.Entry> entries =
          IntStream.range(i, Math.min(n, i + 10))
              .mapToObj(k -> PutEventsValidation.Entry.of(source, "order", "{\"n\":" + k + "}"))
              .toList();
      bus.putEvents(entries).forEach(r -> ids.add(r.eventId()));
    }
    return ids;
  }

  /** Moves the clock in steps, dispatching everything due at each. */
  void run(Duration total, Duration step) {
    Instant end = clock.instant().plus(total);
    while (clock.instant().isBefore(end)) {
      clock.advance(step);
      bus.fireSchedules();
      bus.dispatchUntilIdle();
    }
  }

  @Test
  void aTargetDownForTenMinutesReceivesEveryEventOnceItIsBack() {
    bus.putRule(rule("orders", "{\"source\":[\"shop\"]}"));
    bus.putTargets("default", "orders", List.of(target("sfn", MACHINE, "")));
    port.downUntil = T0.plus(Duration.ofMinutes(10)).plusSeconds(1);
    List<String> ids = put(25, "shop");
    put(5, "elsewhere");
    assertThat(bus.store().pendingDeliveries()).isEqualTo(25);

    run(Duration.ofMinutes(10), Duration.ofSeconds(5));
    assertThat(port.received).isEmpty();
    assertThat(port.refused).isGreaterThanOrEqualTo(25 * 5);
    // the store kept them through a restart while the target was down
    reopen();
    run(Duration.ofMinutes(10), Duration.ofSeconds(5));

    Map<String, Long> byEvent =
        port.received.stream()
            .collect(Collectors.groupingBy(TargetPort.Invocation::eventId, Collectors.counting()));
    assertThat(byEvent.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(byEvent.values()).allMatch(c -> c == 1L);
    assertThat(bus.store().pendingDeliveries()).isZero();
    assertThat(bus.store().givenUp(null, 100)).isEmpty();
    // the whole event went as the body
    JsonNode body = BusJson.parse(port.received.get(0).body()).orElseThrow();
    assertThat(body.path("source").asText()).isEqualTo("shop");
    assertThat(body.path("account").asText()).isEqualTo("123456789012");
  }

  @Test
  void retriesBackOffExponentiallyWithJitterUpToFiveMinutes() {
    List<Duration> delays = IntStream.range(0, 12).mapToObj(r -> bus.backoff("d", r)).toList();
    for (int r = 0; r < 12; r++) {
      long full = Math.min(1000L << r, 300_000L);
      assertThat(delays.get(r).toMillis()).isBetween(full / 2, full);
    }
    assertThat(bus.backoff("d", 3)).isEqualTo(bus.backoff("d", 3));
    assertThat(IntStream.range(0, 20).mapToObj(i -> bus.backoff("d" + i, 8)).distinct().count())
        .isGreaterThan(10);
  }

  @Test
  void exhaustedRetriesGoToTheDeadLetterQueueWithAwsAttributesOrAreDroppedAndCounted() {
    bus.putRule(rule("r", "{\"source\":[\"shop\"]}"));
    bus.putTargets(
        "default",
        "r",
        List.of(
            target(
                "withDlq",
                MACHINE,
                ",\"RetryPolicy\":{\"MaximumRetryAttempts\":2},\"DeadLetterConfig\":{\"Arn\":\""
                    + QUEUE
                    + "\"}"),
            target("without", MACHINE + "2", ",\"RetryPolicy\":{\"MaximumRetryAttempts\":3}")));
    port.downUntil = Instant.MAX;
    String id = put(1, "shop").get(0);
    run(Duration.ofMinutes(5), Duration.ofSeconds(1));

    assertThat(port.deadLetters).hasSize(1);
    RecordingPort.DeadLetter dl = port.deadLetters.get(0);
    assertThat(dl.queueArn()).isEqualTo(QUEUE);
    assertThat(BusJson.parse(dl.body()).orElseThrow().path("id").asText()).isEqualTo(id);
    assertThat(dl.attributes())
        .containsEntry("RULE_ARN", "arn:aws:events:us-east-1:123456789012:rule/r")
        .containsEntry("TARGET_ARN", MACHINE)
        .containsEntry("ERROR_CODE", "ServiceUnavailable")
        .containsEntry("ERROR_MESSAGE", "the target is down")
        .containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumRetryAttempts")
        .containsEntry("RETRY_ATTEMPTS", "2");
    // 3 tries of the first, 4 of the second
    assertThat(port.refused).isEqualTo(7);
    assertThat(bus.stats()).isEqualTo(new EventBus.Stats(0, 5, 1, 1));
    List<GivenUpDelivery> gaveUp = bus.store().givenUp(null, 10);
    assertThat(gaveUp)
        .extracting(GivenUpDelivery::reason)
        .anyMatch(r -> r.startsWith("dead-lettered to " + QUEUE))
        .anyMatch(
            r ->
                r.equals(
                    "dropped: MaximumRetryAttempts exhausted; ServiceUnavailable: the target is"
                        + " down"));
    assertThat(bus.store().pendingDeliveries()).isZero();
  }

  @Test
  void anEventTooOldForItsTargetGoesToTheQueueAsMaximumEventAge() {
    bus.putRule(rule("r", "{\"source\":[\"shop\"]}"));
    bus.putTargets(
        "default",
        "r",
        List.of(
            target(
                "t",
                MACHINE,
                ",\"RetryPolicy\":{\"MaximumEventAgeInSeconds\":60},"
                    + "\"DeadLetterConfig\":{\"Arn\":\""
                    + QUEUE
                    + "\"}")));
    port.downUntil = Instant.MAX;
    put(1, "shop");
    run(Duration.ofMinutes(3), Duration.ofSeconds(1));
    assertThat(port.deadLetters).hasSize(1);
    Map<String, String> attributes = port.deadLetters.get(0).attributes();
    assertThat(attributes).containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumEventAgeInSeconds");
    // 1+2+4+8+16 s of backoff at most (jitter halves at least): under a minute, then the age ends
    assertThat(Integer.parseInt(attributes.get("RETRY_ATTEMPTS"))).isBetween(4, 7);
  }

  @Test
  void aTargetThatDoesNotExistIsNotRetried() {
    bus.putRule(rule("r", "{\"source\":[\"shop\"]}"));
    bus.putTargets(
        "default",
        "r",
        List.of(target("t", MACHINE, ",\"DeadLetterConfig\":{\"Arn\":\"" + QUEUE + "\"}")));
    port.notFound = true;
    put(1, "shop");
    bus.dispatchUntilIdle();
    assertThat(port.deadLetters).hasSize(1);
    assertThat(port.deadLetters.get(0).attributes())
        .containsEntry("RETRY_ATTEMPTS", "0")
        .containsEntry("ERROR_CODE", "ResourceNotFoundException")
        .doesNotContainKey("EXHAUSTED_RETRY_CONDITION");
  }

  @Test
  void aRedeliveryAfterALostLeaseCarriesTheSameExecutionName() {
    bus.putRule(rule("r", "{\"source\":[\"shop\"]}"));
    bus.putTargets("default", "r", List.of(target("a", MACHINE, ""), target("b", MACHINE, "")));
    String id = put(1, "shop").get(0);
    // a dispatcher that claimed both and died before completing them
    List<Delivery> lost =
        bus.store().claimDeliveries("dead-node", clock.instant(), Duration.ofSeconds(60), 10);
    assertThat(lost).hasSize(2);
    assertThat(bus.dispatchUntilIdle()).isZero();
    clock.advance(Duration.ofSeconds(61));
    assertThat(bus.dispatchUntilIdle()).isEqualTo(2);
    assertThat(port.received)
        .extracting(TargetPort.Invocation::idempotencyName)
        .containsExactlyInAnyOrder(
            EventBus.idempotencyName(id, bus.ruleArn("default", "r"), "a"),
            EventBus.idempotencyName(id, bus.ruleArn("default", "r"), "b"));
    assertThat(port.received.get(0).idempotencyName()).matches("[A-Za-z0-9_-]{1,80}");
    assertThat(port.received.get(0).idempotencyName())
        .isNotEqualTo(port.received.get(1).idempotencyName());
    // the same delivery, tried again, keeps its name
    port.downUntil = Instant.MAX;
    put(1, "shop");
    run(Duration.ofSeconds(10), Duration.ofSeconds(1));
    assertThat(port.refusedNames.stream().distinct().count()).isEqualTo(2);
    assertThat(port.refusedNames.size()).isGreaterThan(4);
  }

  @Test
  void rulesTargetsAndTheirTransformsComeBackFromTheStoreAfterARestart() {
    bus.putRule(rule("on", "{\"detail\":{\"n\":[{\"numeric\":[\">=\",5]}]}}"));
    bus.putTargets(
        "default",
        "on",
        List.of(
            target(
                "t",
                MACHINE,
                ",\"InputTransformer\":{\"InputPathsMap\":{\"n\":\"$.detail.n\"},"
                    + "\"InputTemplate\":\"{\\\"count\\\": <n>, \\\"rule\\\": <aws.events.rule-name>}\"}")));
    RuleRecord off = rule("off", "{\"source\":[\"shop\"]}");
    bus.putRule(
        new RuleRecord(
            off.busName(),
            off.name(),
            off.arn(),
            off.eventPattern(),
            null,
            "DISABLED",
            null,
            null,
            off.created()));
    bus.putTargets("default", "off", List.of(target("t", MACHINE + "off", "")));
    reopen();
    put(10, "shop");
    bus.dispatchUntilIdle();
    assertThat(port.received).hasSize(5);
    assertThat(port.received)
        .extracting(TargetPort.Invocation::body)
        .contains("{\"count\": 7, \"rule\": \"on\"}");
    assertThat(port.received).extracting(TargetPort.Invocation::targetArn).containsOnly(MACHINE);
  }

  @Test
  void anEventForABusThatDoesNotExistGetsAnIdAndIsDropped() {
    bus.putRule(rule("r", "{\"source\":[\"shop\"]}"));
    bus.putTargets("default", "r", List.of(target("t", MACHINE, "")));
    List<EventBus.EntryResult> results =
        bus.putEvents(
            List.of(
                new PutEventsValidation.Entry("shop", "x", "{}", null, null, "nope", null),
                new PutEventsValidation.Entry("shop", "x", "[1]", null, null, null, null)));
    assertThat(results.get(0).eventId()).isNotNull();
    assertThat(results.get(1).errorCode()).isEqualTo("MalformedDetail");
    assertThat(bus.store().pendingDeliveries()).isZero();
    assertThatThrownBy(() -> bus.putEvents(List.of()))
        .hasMessageContaining("Member must have length greater than or equal to 1");
  }

  @Test
  void anotherBusOnThisServerReceivesTheEventAndRoutesItByItsOwnRules() {
    bus.createBus("audit", null);
    bus.putRule(
        new RuleRecord(
            "audit",
            "all",
            bus.ruleArn("audit", "all"),
            "{\"source\":[\"shop\"]}",
            null,
            "ENABLED",
            null,
            null,
            T0));
    bus.putTargets("audit", "all", List.of(target("t", MACHINE, "")));
    bus.putRule(rule("fwd", "{\"source\":[\"shop\"]}"));
    bus.putTargets("default", "fwd", List.of(target("bus", bus.busArn("audit"), "")));
    String id = put(1, "shop").get(0);
    bus.dispatchUntilIdle();
    assertThat(port.received).hasSize(1);
    assertThat(port.received.get(0).eventId()).isEqualTo(id);
    assertThat(port.received.get(0).ruleArn()).endsWith(":rule/audit/all");
  }

  @Test
  void aScheduleFiresEachTimeOnceAcrossARestartAndTwoNodes() {
    bus.putRule(
        new RuleRecord(
            "default",
            "tick",
            bus.ruleArn("default", "tick"),
            null,
            "rate(5 minutes)",
            "ENABLED",
            null,
            null,
            T0));
    bus.putTargets("default", "tick", List.of(target("t", MACHINE, "")));
    run(Duration.ofMinutes(12), Duration.ofSeconds(10));
    reopen();
    EventBus other =
        new EventBus(store.busCatalog(), store.bus(), port, clock, 7L, "123456789012", "us-east-1");
    other.load();
    Instant end = clock.instant().plus(Duration.ofMinutes(9));
    while (clock.instant().isBefore(end)) {
      clock.advance(Duration.ofSeconds(10));
      bus.fireSchedules();
      other.fireSchedules();
      bus.dispatchUntilIdle();
    }
    List<String> times =
        port.received.stream()
            .map(i -> BusJson.parse(i.body()).orElseThrow().path("time").asText())
            .toList();
    assertThat(times)
        .containsExactly(
            "2026-11-23T10:05:00Z",
            "2026-11-23T10:10:00Z",
            "2026-11-23T10:15:00Z",
            "2026-11-23T10:20:00Z");
    JsonNode first = BusJson.parse(port.received.get(0).body()).orElseThrow();
    assertThat(first.path("detail-type").asText()).isEqualTo("Scheduled Event");
    assertThat(first.path("resources").get(0).asText()).isEqualTo(bus.ruleArn("default", "tick"));
  }

  /** A clock tests move by hand. */
  static final class VirtualClock extends Clock {
    private volatile Instant now;

    VirtualClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A target port that records what it receives and refuses while "down". */
  final class RecordingPort implements TargetPort {
    record DeadLetter(String queueArn, String body, Map<String, String> attributes) {}

    volatile Instant downUntil = Instant.MIN;
    volatile boolean notFound;
    final List<Invocation> received = Collections.synchronizedList(new ArrayList<>());
    final List<String> refusedNames = Collections.synchronizedList(new ArrayList<>());
    final List<DeadLetter> deadLetters = Collections.synchronizedList(new ArrayList<>());
    volatile int refused;

    @Override
    public synchronized void invoke(Invocation invocation) {
      if (notFound) {
        throw new TargetFailure("ResourceNotFoundException", "no such machine", false);
      }
      if (clock.instant().isBefore(downUntil)) {
        refused++;
        refusedNames.add(invocation.idempotencyName());
        throw new TargetFailure("ServiceUnavailable", "the target is down", true);
      }
      received.add(invocation);
    }

    @Override
    public void deadLetter(String queueArn, String body, Map<String, String> attributes) {
      deadLetters.add(new DeadLetter(queueArn, body, new HashMap<>(attributes)));
    }
  }
}
