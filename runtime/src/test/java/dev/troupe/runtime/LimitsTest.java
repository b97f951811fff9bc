package dev.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.kernel.Limits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Step Functions' limits as defaults, and each one configured otherwise, in the in-memory runner.
 */
class LimitsTest {
  private static final Instant T0 = RunOptions.virtual().startTime();

  private static JsonNode json(String text) {
    try {
      return Json.parse(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static RunResult run(String definition, String input, RunOptions options) {
    return new InMemoryRunner(TaskHandler.NONE, Clock.systemUTC())
        .run(Json.write(json(definition)), json(input), options);
  }

  private static List<String> types(RunResult r) {
    return r.history().stream().map(HistoryEvent::type).toList();
  }

  private static final String WAIT_10 =
      "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':10,'Next':'P'},"
          + "'P':{'Type':'Pass','End':true}}}";

  @Test
  void theDefaultsAreStepFunctionsQuotas() {
    assertThat(Limits.DEFAULT.maxPayloadBytes()).isEqualTo(262_144);
    assertThat(Limits.DEFAULT.maxHistoryEvents()).isEqualTo(25_000);
    assertThat(Limits.DEFAULT.maxDuration(false)).isEqualTo(Duration.ofDays(365));
    assertThat(Limits.DEFAULT.maxDuration(true)).isEqualTo(Duration.ofMinutes(5));
    assertThat(RunOptions.virtual().limits()).isEqualTo(Limits.DEFAULT);
  }

  @Test
  void aConfiguredMaximumDurationTimesTheExecutionOutWithStatesTimeout() {
    RunResult r =
        run(
            WAIT_10,
            "{}",
            RunOptions.virtual()
                .withLimits(Limits.DEFAULT.withMaxStandardDuration(Duration.ofSeconds(2))));
    assertThat(r.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(r.error()).isEqualTo("States.Timeout");
    assertThat(r.cause())
        .isEqualTo(
            "The execution ran for longer than the maximum duration of a STANDARD"
                + " execution (2 seconds).");
    assertThat(types(r))
        .containsExactly("ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut");
    HistoryEvent last = r.history().get(2);
    assertThat(last.timestamp()).isEqualTo(T0.plusSeconds(2));
    assertThat(last.details())
        .isEqualTo(
            json(
                "{'executionTimedOutEventDetails':{'error':'States.Timeout','cause':"
                    + "'The execution ran for longer than the maximum duration of a STANDARD"
                    + " execution (2 seconds).'}}"));
    // with the default, the same machine finishes
    assertThat(run(WAIT_10, "{}", RunOptions.virtual()).status())
        .isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void theDefaultMaximumDurationIsOneYear() {
    String waits400Days =
        "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':34560000,'End':true}}}";
    RunResult r = run(waits400Days, "{}", RunOptions.virtual());
    assertThat(r.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(r.error()).isEqualTo("States.Timeout");
    assertThat(r.history().get(r.history().size() - 1).timestamp())
        .isEqualTo(T0.plus(Duration.ofDays(365)));
    // a machine's own TimeoutSeconds, shorter, wins, and records no error (as Step Functions)
    RunResult own =
        run(
            "{'TimeoutSeconds':60,'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':34560000,"
                + "'End':true}}}",
            "{}",
            RunOptions.virtual());
    assertThat(own.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(own.error()).isNull();
    assertThat(own.history().get(own.history().size() - 1).details().isEmpty()).isTrue();
    assertThat(own.history().get(own.history().size() - 1).timestamp())
        .isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void anExpressExecutionTimesOutAfterFiveMinutesAndKeepsNoHistoryBound() {
    RunOptions express =
        RunOptions.virtual()
            .withType(true, "arn:aws:states:us-east-1:123456789012:express:m:run:id-1");
    RunResult r =
        run(
            "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':301,'End':true}}}",
            "{}",
            express);
    assertThat(r.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(r.error()).isEqualTo("States.Timeout");
    assertThat(r.cause()).contains("an EXPRESS execution (300 seconds)");
    assertThat(r.history().get(r.history().size() - 1).timestamp()).isEqualTo(T0.plusSeconds(300));
    // the context object names the EXPRESS ARN
    RunResult id =
        run(
            "{'StartAt':'P','States':{'P':{'Type':'Pass','Parameters':{'id.$':'$$.Execution.Id'},"
                + "'End':true}}}",
            "{}",
            express);
    assertThat(id.output())
        .isEqualTo(json("{'id':'arn:aws:states:us-east-1:123456789012:express:m:run:id-1'}"));
    // the history limit is a STANDARD one: an EXPRESS loop may record more events
    String loop =
        "{'StartAt':'I','States':{'I':{'Type':'Pass','Parameters':{'n':0},'Next':'Inc'},"
            + "'Inc':{'Type':'Pass','Parameters':{'n.$':'States.MathAdd($.n, 1)'},'Next':'L'},"
            + "'L':{'Type':'Choice','Choices':[{'Variable':'$.n','NumericLessThan':20,"
            + "'Next':'Inc'}],'Default':'D'},'D':{'Type':'Succeed'}}}";
    Limits tenEvents = Limits.DEFAULT.withMaxHistoryEvents(10);
    RunResult standard = run(loop, "{}", RunOptions.virtual().withLimits(tenEvents));
    assertThat(standard.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(standard.error()).isEqualTo("States.Runtime");
    assertThat(standard.cause()).contains("maximum number of history events (10)");
    assertThat(standard.history()).hasSize(10);
    RunResult expressLoop = run(loop, "{}", express.withLimits(tenEvents));
    assertThat(expressLoop.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(expressLoop.output()).isEqualTo(json("{'n':20}"));
    // and a runner asked not to keep the history keeps none
    assertThat(run(loop, "{}", express.withKeepHistory(false)).history()).isEmpty();
  }

  @Test
  void aConfiguredPayloadLimitIsStatesDataLimitExceeded() {
    String big =
        "{'StartAt':'P','States':{'P':{'Type':'Pass','Result':'"
            + "x".repeat(200)
            + "','End':true}}}";
    assertThat(run(big, "{}", RunOptions.virtual()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    RunResult r =
        run(big, "{}", RunOptions.virtual().withLimits(Limits.DEFAULT.withMaxPayloadBytes(100)));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.DataLimitExceeded");
    // the default: 256 KiB (the output doubles the input)
    String twice =
        "{'StartAt':'P','States':{'P':{'Type':'Pass','Parameters':{'a.$':'$.s','b.$':'$.s'},"
            + "'End':true}}}";
    RunResult over = run(twice, "{'s':'" + "y".repeat(140 * 1024) + "'}", RunOptions.virtual());
    assertThat(over.error()).isEqualTo("States.DataLimitExceeded");
    RunResult under = run(twice, "{'s':'" + "y".repeat(120 * 1024) + "'}", RunOptions.virtual());
    assertThat(under.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }
}
