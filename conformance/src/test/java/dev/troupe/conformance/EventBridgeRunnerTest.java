package dev.troupe.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.bus.BusJson;
import dev.troupe.conformance.CaseResult.Outcome;
import dev.troupe.conformance.EventBridgeRunner.Placeholders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner judges cases right: a wrong expectation fails, placeholders match only their gap. */
class EventBridgeRunnerTest {
  @TempDir Path dir;

  static JsonNode json(String s) {
    return BusJson.parse(s.replace('\'', '"')).orElseThrow();
  }

  @Test
  void placeholdersStandForAnyTextButTheRestMustMatch() {
    assertThat(
            Placeholders.matches(
                "arn:<partition>:events:<region>:1:rule/x", "arn:aws:events:us-east-1:1:rule/x"))
        .isTrue();
    assertThat(
            Placeholders.matches(
                "arn:<partition>:events:<region>:1:rule/x", "arn:aws:events:us-east-1:2:rule/x"))
        .isFalse();
    assertThat(Placeholders.matches("plain", "plain ")).isFalse();
    assertThat(
            Placeholders.jsonMatches(json("{'id':'<uuid:1>','n':1.0}"), json("{'id':'abc','n':1}")))
        .isTrue();
    assertThat(Placeholders.jsonMatches(json("{'id':'<uuid:1>'}"), json("{'id':'abc','n':1}")))
        .isFalse();
    assertThat(Placeholders.jsonMatches(json("{'t':'date'}"), json("{'t':'2024-01-01T00:00:00Z'}")))
        .isTrue();
    assertThat(Placeholders.jsonMatches(json("['a','b']"), json("['b','a']"))).isFalse();
  }

  @Test
  void timesAreReadAsTheClientReadsThem() {
    java.time.Instant newYear = java.time.Instant.parse("2022-01-01T00:00:00Z");
    for (String time :
        List.of(
            "2022-01-01", "01-01-2022T00:00:00Z", "2022-01-01 00:00:00Z", "2022-01-01T00:00:00")) {
      assertThat(EventBridgeRunner.timeOf(BusJson.NODES.textNode(time)))
          .as(time)
          .isEqualTo(newYear);
    }
    assertThat(EventBridgeRunner.timeOf(BusJson.NODES.textNode("01-31-2022")))
        .isEqualTo(java.time.Instant.parse("2022-01-31T00:00:00Z"));
    assertThat(EventBridgeRunner.timeOf(BusJson.NODES.numberNode(1640995200L))).isEqualTo(newYear);
  }

  @Test
  void eachSuiteFailsACaseWhoseRecordedOutcomeDiffers() throws Exception {
    String entry =
        "'put_events_entry': {'Source': 's', 'DetailType': 't', 'Detail': '{\\'a\\': \\'x\\'}'}";
    Files.writeString(
        dir.resolve("patterns.jsonl"),
        ("{'id': 'p1', 'via': 'PutEvents+Rule', "
                + entry
                + ", 'pattern_raw': '{\\'detail\\': {\\'a\\': [\\'x\\']}}', 'expected': true}\n"
                + "{'id': 'p2', 'via': 'PutEvents+Rule', "
                + entry
                + ", 'pattern_raw': '{\\'detail\\': {\\'a\\': [\\'x\\']}}', 'expected': false}\n")
            .replace('\'', '"'));
    Files.writeString(
        dir.resolve("transforms.jsonl"),
        ("{'id': 't1', 'kind': 'input_path', "
                + entry
                + ", 'input_path': '$.detail.a', 'expected_output': '\\'x\\'', 'expected_output_format': 'string', 'expected_delivered': true}\n"
                + "{'id': 't2', 'kind': 'input_path', "
                + entry
                + ", 'input_path': '$.detail.a', 'expected_output': 'x', 'expected_output_format': 'string', 'expected_delivered': true}\n")
            .replace("\\'x\\'", "\\\"x\\\"")
            .replace('\'', '"'));
    Files.writeString(
        dir.resolve("putevents.jsonl"),
        ("{'id': 'e1', 'entries': [{'Source': 's', 'DetailType': 't'}], 'expected_response': {'Entries': [{'ErrorCode': 'InvalidArgument', 'ErrorMessage': 'Parameter Detail is not valid. Reason: Detail is a required argument.'}], 'FailedEntryCount': 1}}\n"
                + "{'id': 'e2', 'entries': [{'Source': 's', 'DetailType': 't', 'Detail': '{}'}], 'expected_response': {'Entries': [{'EventId': '<uuid:1>'}], 'FailedEntryCount': 1}}\n")
            .replace('\'', '"'));
    List<CaseResult> results = EventBridgeRunner.runAll(dir);
    assertThat(results)
        .extracting(CaseResult::id, CaseResult::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("p1", Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple("p2", Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple("t1", Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple("t2", Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple("e1", Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple("e2", Outcome.FAILED));
  }
}
