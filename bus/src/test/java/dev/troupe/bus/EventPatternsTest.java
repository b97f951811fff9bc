package dev.troupe.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventPatternsTest {
  static String event(String detail) {
    return "{\"id\": \"1\", \"source\": \"my.app\", \"detail-type\": \"Order\", \"account\":"
        + " \"123456789012\", \"region\": \"us-east-1\", \"time\": \"2024-01-01T00:00:00Z\","
        + " \"resources\": [\"arn:aws:s3:::a\"], \"detail\": "
        + detail
        + "}";
  }

  @ParameterizedTest(name = "{0} against {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"source\": [\"my.app\"]}|{}|true",
        "{\"source\": [\"other\"]}|{}|false",
        "{\"detail\": {\"state\": [{\"prefix\": \"run\"}]}}|{\"state\": \"running\"}|true",
        "{\"detail\": {\"state\": [{\"suffix\": \"ing\"}]}}|{\"state\": \"stopped\"}|false",
        "{\"detail\": {\"state\": [{\"anything-but\": \"running\"}]}}|{\"state\": \"stopped\"}|true",
        "{\"detail\": {\"state\": [{\"anything-but\": {\"prefix\": \"run\"}}]}}|{\"state\": \"running\"}|false",
        "{\"detail\": {\"n\": [{\"numeric\": [\">\", 0, \"<=\", 5]}]}}|{\"n\": 5}|true",
        "{\"detail\": {\"n\": [{\"numeric\": [\">\", 0, \"<=\", 5]}]}}|{\"n\": 5.5}|false",
        "{\"detail\": {\"x\": [{\"exists\": false}]}}|{\"y\": 1}|true",
        "{\"detail\": {\"x\": [{\"exists\": true}]}}|{\"y\": 1}|false",
        "{\"detail\": {\"ip\": [{\"cidr\": \"10.0.0.0/24\"}]}}|{\"ip\": \"10.0.0.255\"}|true",
        "{\"detail\": {\"ip\": [{\"cidr\": \"10.0.0.0/24\"}]}}|{\"ip\": \"10.0.1.0\"}|false",
        "{\"detail\": {\"s\": [{\"equals-ignore-case\": \"ABC\"}]}}|{\"s\": \"aBc\"}|true",
        "{\"detail\": {\"f\": [{\"wildcard\": \"*.png\"}]}}|{\"f\": \"a/b.png\"}|true",
        "{\"detail\": {\"a\": {\"b\": [1]}}}|{\"a\": {\"b\": [3, 1]}}|true",
        "{\"$or\": [{\"source\": [\"x\"]}, {\"detail-type\": [\"Order\"]}]}|{}|true",
        "{\"detail\": {\"v\": [null]}}|{\"v\": null}|true",
        "{\"detail\": {\"v\": [true]}}|{\"v\": false}|false",
      })
  void matchesAsEventBridge(String pattern, String detail, boolean expected) {
    assertThat(EventPatterns.matches(pattern, event(detail))).isEqualTo(expected);
  }

  @Test
  void anInvalidPatternGetsAwsCodeAndMessageWithTheLocation() {
    assertThatThrownBy(() -> EventPatterns.compile("{\"time\": [{\"prefix\": 123}]}"))
        .isInstanceOfSatisfying(
            InvalidEventPatternException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidEventPatternException");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Event pattern is not valid. Reason: prefix match pattern must be a string\n"
                          + " at [Source: (String)\"{\"time\": [{\"prefix\": 123}]}\"; line: 1,"
                          + " column: 25]");
            });
    assertThat(EventPatterns.validate("{\"resources\": []}").orElseThrow().getMessage())
        .startsWith("Event pattern is not valid. Reason: Empty arrays are not allowed");
    assertThat(EventPatterns.validate("[1]").orElseThrow().getMessage())
        .startsWith("Event pattern is not valid. Reason: Filter is not an object");
    assertThat(EventPatterns.validate("{\"source\": [\"a\"]}")).isEmpty();
  }

  @Test
  void testEventPatternRefusesAnEventWithoutTheEnvelope() {
    for (String bad : List.of("[\"x\"]", "{\"testEvent\": 1}", "not json", "{\"id\": \"1\"}")) {
      assertThatThrownBy(() -> EventPatterns.matches("{\"source\": [\"a\"]}", bad))
          .isInstanceOfSatisfying(
              BusException.class,
              e -> {
                assertThat(e.code()).isEqualTo("ValidationException");
                assertThat(e.getMessage()).isEqualTo("Parameter Event is not valid.");
              });
    }
  }

  /**
   * A rule set answers, for every event, exactly the rules whose pattern matches it alone, for
   * seeded random rules and events.
   */
  @Test
  void aRuleSetAgreesWithEachPatternAlone() {
    Random random = new Random(20240601L);
    String[] states = {"pending", "running", "stopped", "Running", "terminated"};
    RuleSet rules = new RuleSet();
    List<String> names = new ArrayList<>();
    List<EventPatterns.EventPattern> patterns = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String state = states[random.nextInt(states.length)];
      String pattern =
          switch (random.nextInt(5)) {
            case 0 -> "{\"detail\": {\"state\": [\"" + state + "\"]}}";
            case 1 ->
                "{\"detail\": {\"state\": [{\"prefix\": \"" + state.substring(0, 3) + "\"}]}}";
            case 2 ->
                "{\"detail\": {\"n\": [{\"numeric\": [\">=\", " + random.nextInt(50) + "]}]}}";
            case 3 -> "{\"detail\": {\"state\": [{\"anything-but\": \"" + state + "\"}]}}";
            default -> "{\"detail\": {\"state\": [{\"equals-ignore-case\": \"" + state + "\"}]}}";
          };
      String name = "rule-" + i;
      rules.put(name, pattern);
      names.add(name);
      patterns.add(EventPatterns.compile(pattern));
    }
    assertThat(rules.size()).isEqualTo(60);
    int matchedSome = 0;
    for (int e = 0; e < 200; e++) {
      String event =
          event(
              "{\"state\": \""
                  + states[random.nextInt(states.length)]
                  + "\", \"n\": "
                  + random.nextInt(60)
                  + "}");
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        if (patterns.get(i).matches(event)) {
          expected.add(names.get(i));
        }
      }
      matchedSome += expected.isEmpty() ? 0 : 1;
      assertThat(rules.matching(event)).containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(matchedSome).isGreaterThan(100);
  }

  @Test
  void aRuleIsReplacedAndRemovedByName() {
    RuleSet rules = new RuleSet();
    rules.put("r", "{\"source\": [\"my.app\"]}");
    String e = event("{}");
    assertThat(rules.matching(e)).containsExactly("r");
    rules.put("r", "{\"source\": [\"other\"]}");
    assertThat(rules.matching(e)).isEmpty();
    assertThat(rules.pattern("r")).contains("{\"source\": [\"other\"]}");
    rules.put("r", "{\"source\": [\"my.app\"]}");
    assertThat(rules.remove("r")).isTrue();
    assertThat(rules.remove("r")).isFalse();
    assertThat(rules.matching(e)).isEmpty();
    assertThatThrownBy(() -> rules.put("bad", "{\"source\": \"x\"}"))
        .isInstanceOf(InvalidEventPatternException.class);
    assertThat(rules.size()).isZero();
  }

  /** Matching on several threads while one thread changes other rules: the steady rule holds. */
  @Test
  void matchingWhileRulesChange() throws Exception {
    RuleSet rules = new RuleSet();
    rules.put("steady", "{\"source\": [\"my.app\"]}");
    String e = event("{\"n\": 1}");
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger misses =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger rounds =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread reader =
          new Thread(
              () -> {
                while (!stop.get()) {
                  if (!rules.matching(e).contains("steady")) {
                    misses.incrementAndGet();
                  }
                  if (rules.pattern("steady").isEmpty()) {
                    misses.incrementAndGet();
                  }
                  rounds.incrementAndGet();
                }
              });
      reader.start();
      readers.add(reader);
    }
    for (int i = 0; i < 300; i++) {
      rules.put("r" + (i % 7), "{\"detail\": {\"n\": [{\"numeric\": [\">\", " + i + "]}]}}");
      if (i % 3 == 0) {
        rules.remove("r" + (i % 5));
      }
    }
    stop.set(true);
    for (Thread r : readers) {
      r.join();
    }
    assertThat(misses.get()).isZero();
    assertThat(rounds.get()).isPositive();
    assertThat(rules.patterns()).containsKey("steady");
  }
}
