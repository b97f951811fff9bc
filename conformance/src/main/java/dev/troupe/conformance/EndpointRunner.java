package dev.troupe.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.troupe.asl.json.Json;
import dev.troupe.conformance.CaseResult.Outcome;
import dev.troupe.conformance.ConformanceRunner.Observed;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResponse;

/**
 * Runs a corpus in the format of {@code shared/conformance/asl} through the Step Functions API of a
 * server (Troupe's, or any other) with the AWS SDK for Java v2, instead of in process: each case
 * creates a state machine of its own name, starts an execution, waits in real time until it ends,
 * describes it and reads its whole history, and is then compared with the recording exactly as
 * {@link ConformanceRunner} compares it. {@code _validation} cases go through CreateStateMachine
 * and ValidateStateMachineDefinition.
 *
 * <p>The server keeps real time, so what needs the in-process virtual clock is skipped with its
 * reason, counted as skipped: cases whose definitions wait longer than {@link
 * Options#maxRealWait()} and cases whose input was computed from the clock ({@code
 * ClockDependent}). Cases run a few at a time.
 */
public final class EndpointRunner {
  /** The execution role every case's machine is created with (recorded as snf_role_arn). */
  public static final String ROLE_ARN = "arn:aws:iam::111111111111:role/TroupeConformanceRole";

  private static final Configuration JAYWAY =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
          .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
          .options(Option.SUPPRESS_EXCEPTIONS)
          .build();

  /**
   * How to reach the endpoint and how long to wait.
   *
   * @param endpoint the server's URL
   * @param accessKeyId the access key to sign with; null sends unsigned requests
   * @param secretKey its secret
   * @param region the region to sign for
   * @param maxRealWait a case whose definition waits longer is skipped
   * @param caseTimeout how long a case may run before it is judged as still RUNNING
   * @param runningWait how long a case recorded as RUNNING runs before it is judged
   * @param threads how many cases run at once
   */
  public record Options(
      URI endpoint,
      @Nullable String accessKeyId,
      @Nullable String secretKey,
      String region,
      Duration maxRealWait,
      Duration caseTimeout,
      Duration runningWait,
      int threads) {
    public Options {
      if (threads < 1) {
        throw new IllegalArgumentException("at least one thread, got " + threads);
      }
      if ((accessKeyId == null) != (secretKey == null)) {
        throw new IllegalArgumentException("an access key needs its secret");
      }
    }

    /** Unsigned requests, us-east-1, waits up to 10 s, a minute per case, four at a time. */
    public static Options of(URI endpoint) {
      return new Options(
          endpoint,
          null,
          null,
          "us-east-1",
          Duration.ofSeconds(10),
          Duration.ofSeconds(60),
          Duration.ofSeconds(3),
          4);
    }

    public Options withAccessKey(String id, String secret) {
      return new Options(
          endpoint, id, secret, region, maxRealWait, caseTimeout, runningWait, threads);
    }

    public Options withRegion(String r) {
      return new Options(
          endpoint, accessKeyId, secretKey, r, maxRealWait, caseTimeout, runningWait, threads);
    }

    public Options withMaxRealWait(Duration d) {
      return new Options(
          endpoint, accessKeyId, secretKey, region, d, caseTimeout, runningWait, threads);
    }

    public Options withCaseTimeout(Duration d) {
      return new Options(
          endpoint, accessKeyId, secretKey, region, maxRealWait, d, runningWait, threads);
    }

    public Options withRunningWait(Duration d) {
      return new Options(
          endpoint, accessKeyId, secretKey, region, maxRealWait, caseTimeout, d, threads);
    }

    public Options withThreads(int n) {
      return new Options(
          endpoint, accessKeyId, secretKey, region, maxRealWait, caseTimeout, runningWait, n);
    }
  }

  private final Options options;
  private final SfnClient sfn;

  /** Unique per run, so that a rerun against the same server does not meet its own names. */
  private final String runId;

  private final AtomicInteger cases = new AtomicInteger();

  private EndpointRunner(Options options) {
    this.options = options;
    String id = options.accessKeyId();
    String secret = options.secretKey();
    AwsCredentialsProvider credentials =
        id == null || secret == null
            ? AnonymousCredentialsProvider.create()
            : StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
    this.sfn =
        SfnClient.builder()
            .endpointOverride(options.endpoint())
            .region(Region.of(options.region()))
            .credentialsProvider(credentials)
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(70))
                    .build())
            .overrideConfiguration(
                o ->
                    o.putAdvancedOption(
                        SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
            .build();
    this.runId = Long.toString(System.currentTimeMillis(), 36);
  }

  /** Runs every case under {@code dir} through the endpoint, prints the report and returns it. */
  public static Report run(Path dir, Options options, PrintStream out) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no corpus directory at " + dir);
    }
    List<Path> cases = ConformanceRunner.caseDirs(dir);
    reachable(options);
    Report report = new Report(runCases(cases, options));
    report.print(out);
    return report;
  }

  /** One ListStateMachines call, so that an endpoint that is not there fails the run at once. */
  private static void reachable(Options options) throws IOException {
    EndpointRunner probe = new EndpointRunner(options);
    try {
      probe.sfn.listStateMachines(b -> b.maxResults(1));
    } catch (SfnException e) {
      throw new IOException("the endpoint " + options.endpoint() + " answered " + describe(e), e);
    } catch (SdkException e) {
      throw new IOException(
          "cannot reach the endpoint " + options.endpoint() + ": " + e.getMessage(), e);
    } finally {
      probe.sfn.close();
    }
  }

  /** Runs the given case folders through the endpoint, a few at a time; results in their order. */
  public static List<CaseResult> runCases(List<Path> caseDirs, Options options) {
    EndpointRunner runner = new EndpointRunner(options);
    try (ExecutorService pool = Executors.newFixedThreadPool(options.threads())) {
      List<Callable<CaseResult>> work = new ArrayList<>();
      for (Path dir : caseDirs) {
        work.add(() -> runner.runCase(dir));
      }
      List<CaseResult> results = new ArrayList<>();
      List<Future<CaseResult>> done = pool.invokeAll(work);
      for (int i = 0; i < done.size(); i++) {
        try {
          results.add(done.get(i).get());
        } catch (ExecutionException e) {
          Path dir = caseDirs.get(i);
          String suite = suiteOf(dir);
          results.add(
              new CaseResult(
                  suite + "/" + dir.getFileName(),
                  suite,
                  Outcome.FAILED,
                  "the runner could not judge it: " + e.getCause()));
        }
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running the corpus", e);
    } finally {
      runner.sfn.close();
    }
  }

  private static String suiteOf(Path dir) {
    return dir.getParent() == null ? "" : dir.getParent().getFileName().toString();
  }

  CaseResult runCase(Path dir) {
    String suite = suiteOf(dir);
    String id = suite + "/" + dir.getFileName();
    try {
      JsonNode expected = Json.parse(read(dir.resolve("expected.json")));
      if (suite.equals("_test_state")) {
        return new CaseResult(
            id,
            suite,
            Outcome.SKIPPED,
            "TestState cases: run by `troupe conformance asl-teststate`");
      }
      if (expected.has("accepted") || suite.equals("_validation")) {
        return validation(id, suite, dir, expected);
      }
      return execution(id, suite, dir, expected);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new CaseResult(id, suite, Outcome.FAILED, "interrupted");
    } catch (SfnException e) {
      return new CaseResult(id, suite, Outcome.FAILED, "the endpoint answered " + describe(e));
    } catch (IOException | RuntimeException e) {
      return new CaseResult(id, suite, Outcome.FAILED, "the runner could not judge it: " + e);
    }
  }

  private static String describe(SfnException e) {
    return e.awsErrorDetails() == null
        ? String.valueOf(e.getMessage())
        : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
  }

  /**
   * A suffix for this case's names: letters and digits only, as some definitions split the
   * machine's or execution's name on separators such as '-' (the recordings' names had none).
   */
  private String nextName() {
    return runId + "n" + cases.incrementAndGet();
  }

  // ---- _validation

  private CaseResult validation(String id, String suite, Path dir, JsonNode expected)
      throws IOException {
    String text = ConformanceRunner.validationDefinition(dir);
    StateMachineType type =
        "EXPRESS".equals(expected.path("machine_type").asText())
            ? StateMachineType.EXPRESS
            : StateMachineType.STANDARD;
    if (expected.has("diagnostics")) {
      ValidateStateMachineDefinitionResponse r =
          sfn.validateStateMachineDefinition(b -> b.definition(text).type(type));
      return ConformanceRunner.compareValidation(
          id,
          suite,
          expected,
          r.resultAsString(),
          SdkJson.of(r.diagnostics()),
          Boolean.TRUE.equals(r.truncated()));
    }
    boolean awsAccepted = ConformanceRunner.awsAccepted(expected);
    String ours;
    boolean accepted;
    try {
      String arn =
          sfn.createStateMachine(
                  b ->
                      b.name("TroupeConformanceValidation" + nextName())
                          .definition(text)
                          .roleArn(ROLE_ARN)
                          .type(type))
              .stateMachineArn();
      deleteQuietly(arn);
      accepted = true;
      ours = "accepted";
    } catch (SfnException e) {
      if (e.statusCode() >= 500) {
        throw e;
      }
      accepted = false;
      ours = "rejected: " + describe(e);
    }
    if (accepted == awsAccepted) {
      return new CaseResult(id, suite, Outcome.PASSED, "");
    }
    String aws =
        awsAccepted
            ? "accepted"
            : "rejected: "
                + expected.path("message").asText(expected.path("diagnostics").toString());
    return new CaseResult(id, suite, Outcome.FAILED, "AWS " + aws + "; Troupe " + ours);
  }

  // ---- executions

  private CaseResult execution(String id, String suite, Path dir, JsonNode expected)
      throws IOException, InterruptedException {
    JsonNode services = expected.path("services");
    RecordedWorkers workers = null;
    if (services.size() == 1 && services.get(0).asText().equals("activity")) {
      List<JsonNode> recorded = new ArrayList<>();
      Json.parse(read(dir.resolve("history.json"))).forEach(recorded::add);
      workers = RecordedWorkers.of(expected, recorded);
      if (workers == null) {
        return new CaseResult(
            id, suite, Outcome.SKIPPED, "needs an external driver (callbacks, stop, workers)");
      }
    } else if (services.size() > 0) {
      return new CaseResult(
          id, suite, Outcome.SKIPPED, "needs integrations not built yet: " + services);
    } else if (expected.has("external_actions")) {
      return new CaseResult(
          id, suite, Outcome.SKIPPED, "needs an external driver (callbacks, stop, workers)");
    }
    if (!Files.exists(dir.resolve("input.json"))) {
      return new CaseResult(
          id, suite, Outcome.SKIPPED, "the input was not JSON; StartExecution would refuse it");
    }
    if (hasFeature(expected, "ClockDependent")) {
      return new CaseResult(
          id,
          suite,
          Outcome.SKIPPED,
          "its input was computed from the clock: needs the in-process virtual clock");
    }
    String recordedDefinition = read(dir.resolve("definition.json"));
    String input = read(dir.resolve("input.json"));
    boolean recordedRunning = "RUNNING".equals(expected.path("status").asText());
    Duration wait = realWait(Json.parse(recordedDefinition), Json.parse(input), Instant.now());
    // a case AWS recorded while it was still running is judged after a bounded wait anyway
    if (!recordedRunning && wait.compareTo(options.maxRealWait()) > 0) {
      return new CaseResult(
          id,
          suite,
          Outcome.SKIPPED,
          "waits "
              + seconds(wait)
              + " s in real time (more than "
              + seconds(options.maxRealWait())
              + " s)");
    }
    boolean express = "EXPRESS".equals(expected.path("machine_type").asText());
    String n = nextName();
    String machineName = "TroupeConformanceMachine" + n;
    String executionName = "TroupeConformanceExecution" + n;
    // a case with recorded workers runs against an activity of its own, which exists only when
    // the case had a worker (created, and deleted again when it had none)
    String activityArn =
        workers == null
            ? null
            : sfn.createActivity(b -> b.name("TroupeConformanceActivity" + n)).activityArn();
    if (workers != null && activityArn != null && !workers.hasWorker()) {
      sfn.deleteActivity(b -> b.activityArn(activityArn));
    }
    String definition =
        activityArn == null
            ? recordedDefinition
            : recordedDefinition.replace(
                "\"" + RecordedWorkers.PLACEHOLDER + "\"", "\"" + activityArn + "\"");
    try {
      return execution(
          id,
          suite,
          expected,
          definition,
          input,
          express,
          machineName,
          executionName,
          workers,
          activityArn,
          recordedRunning);
    } finally {
      if (workers != null && activityArn != null && workers.hasWorker()) {
        try {
          sfn.deleteActivity(b -> b.activityArn(activityArn));
        } catch (SdkException e) {
          // the server may be gone; the activity's name is this run's own
        }
      }
    }
  }

  private CaseResult execution(
      String id,
      String suite,
      JsonNode expected,
      String definition,
      String input,
      boolean express,
      String machineName,
      String executionName,
      @Nullable RecordedWorkers workers,
      @Nullable String activityArn,
      boolean recordedRunning)
      throws IOException, InterruptedException {
    String machineArn;
    try {
      machineArn =
          sfn.createStateMachine(
                  b ->
                      b.name(machineName)
                          .definition(definition)
                          .roleArn(ROLE_ARN)
                          .type(express ? StateMachineType.EXPRESS : StateMachineType.STANDARD))
              .stateMachineArn();
    } catch (SfnException e) {
      if (e.statusCode() >= 500) {
        throw e;
      }
      return new CaseResult(
          id,
          suite,
          Outcome.FAILED,
          "AWS accepted the definition; Troupe rejected it: " + describe(e));
    }
    try {
      String[] arn = machineArn.split(":", -1);
      if (express && hasFeature(expected, "SyncExecution")) {
        StartSyncExecutionResponse r =
            sfn.startSyncExecution(
                b -> b.stateMachineArn(machineArn).name(executionName).input(input));
        Observed got =
            new Observed(r.statusAsString(), document(r.output()), r.error(), r.cause(), null);
        return ConformanceRunner.compare(
            id, suite, expected, got, names(arn, machineName, executionName, r.executionArn()));
      }
      String executionArn =
          sfn.startExecution(b -> b.stateMachineArn(machineArn).name(executionName).input(input))
              .executionArn();
      ActivityWorker worker =
          workers != null && workers.hasWorker() && activityArn != null
              ? ActivityWorker.start(sfn, activityArn, workers.takenInOrder())
              : null;
      Duration limit = recordedRunning ? options.runningWait() : options.caseTimeout();
      DescribeExecutionResponse d = awaitEnd(executionArn, limit);
      String workerFailure = worker == null ? null : worker.stop();
      // Step Functions keeps no history of EXPRESS executions (GetExecutionHistory refuses them)
      List<JsonNode> events = express ? null : history(executionArn);
      String note = "";
      if (d.status() == ExecutionStatus.RUNNING) {
        if (!recordedRunning) {
          note = "still RUNNING after " + seconds(limit) + " s in real time";
        }
        sfn.stopExecution(b -> b.executionArn(executionArn));
      }
      if (workerFailure != null) {
        note = note.isEmpty() ? workerFailure : note + "; " + workerFailure;
      }
      String cause = d.cause();
      if (cause != null && activityArn != null) {
        cause = cause.replace(activityArn, RecordedWorkers.PLACEHOLDER);
      }
      Observed got =
          new Observed(d.statusAsString(), document(d.output()), d.error(), cause, events, note);
      return ConformanceRunner.compare(
          id, suite, expected, got, names(arn, machineName, executionName, executionArn));
    } finally {
      deleteQuietly(machineArn);
    }
  }

  /** The names to normalise: the server's account and region, this case's names. */
  private static Normaliser.Names names(
      String[] machineArn,
      String machineName,
      String executionName,
      @Nullable String executionArn) {
    String[] e = executionArn == null ? new String[0] : executionArn.split(":", -1);
    boolean express = e.length == 9 && e[5].equals("express");
    return new Normaliser.Names(
        machineArn[4],
        machineArn[3],
        ROLE_ARN,
        machineName,
        executionName,
        express ? e[7] : Normaliser.EXPRESS_EXECUTION_NAME,
        express ? e[8] : Normaliser.EXPRESS_EXECUTION_ID);
  }

  private DescribeExecutionResponse awaitEnd(String executionArn, Duration limit)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    long pause = 10;
    while (true) {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
      if (d.status() != ExecutionStatus.RUNNING || Instant.now().isAfter(deadline)) {
        return d;
      }
      Thread.sleep(pause);
      pause = Math.min(pause * 2, 200);
    }
  }

  /** Every page of the history, each event {@code {type, ...details}} as the wire had it. */
  private List<JsonNode> history(String executionArn) {
    List<JsonNode> events = new ArrayList<>();
    String token = null;
    do {
      String page = token;
      GetExecutionHistoryResponse r =
          sfn.getExecutionHistory(
              b -> b.executionArn(executionArn).maxResults(1000).nextToken(page));
      for (HistoryEvent e : r.events()) {
        events.add(SdkJson.of(e));
      }
      token = r.nextToken();
    } while (token != null);
    return events;
  }

  private void deleteQuietly(String machineArn) {
    try {
      sfn.deleteStateMachine(b -> b.stateMachineArn(machineArn));
    } catch (SdkException e) {
      // the case is judged already; a machine left behind has a name no later run uses
    }
  }

  private static @Nullable JsonNode document(@Nullable String text) throws IOException {
    return text == null ? null : Json.parse(text);
  }

  private static boolean hasFeature(JsonNode expected, String feature) {
    for (JsonNode f : expected.path("features")) {
      if (f.asText().equals(feature)) {
        return true;
      }
    }
    return false;
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0
        ? Long.toString(ms / 1000)
        : String.format(Locale.ROOT, "%.1f", ms / 1000.0);
  }

  // ---- how long a definition waits in real time

  /**
   * The longest a definition's Wait states make an execution wait from {@code now}, bounded by the
   * machine's TimeoutSeconds: {@code Seconds} and {@code Timestamp} as written, {@code SecondsPath}
   * and {@code TimestampPath} read from the execution's input (the input of most Wait states; a
   * path that is not there counts as no wait, and the case's time limit still applies). JSONata
   * expressions are not evaluated. Retry intervals are not counted either: they only elapse when a
   * state fails.
   */
  static Duration realWait(JsonNode definition, JsonNode input, Instant now) {
    Duration longest = waits(definition, input, now);
    JsonNode timeout = definition.get("TimeoutSeconds");
    if (timeout != null && timeout.isNumber()) {
      Duration bound = Duration.ofSeconds(timeout.asLong());
      if (bound.compareTo(longest) < 0) {
        longest = bound;
      }
    }
    return longest;
  }

  private static Duration waits(JsonNode machine, JsonNode input, Instant now) {
    Duration longest = Duration.ZERO;
    JsonNode states = machine.get("States");
    if (states == null || !states.isObject()) {
      return longest;
    }
    for (Map.Entry<String, JsonNode> e : states.properties()) {
      JsonNode state = e.getValue();
      List<Duration> found = new ArrayList<>();
      if ("Wait".equals(state.path("Type").asText())) {
        found.add(waitOf(state, input, now));
      }
      state.path("Branches").forEach(b -> found.add(waits(b, input, now)));
      for (String inner : List.of("Iterator", "ItemProcessor")) {
        if (state.has(inner)) {
          found.add(waits(state.get(inner), input, now));
        }
      }
      for (Duration d : found) {
        if (d.compareTo(longest) > 0) {
          longest = d;
        }
      }
    }
    return longest;
  }

  private static Duration waitOf(JsonNode state, JsonNode input, Instant now) {
    JsonNode value = state.get("Seconds");
    if (value == null && state.path("SecondsPath").isTextual()) {
      value = read(input, state.path("SecondsPath").asText());
    }
    if (value != null && value.isNumber()) {
      return Duration.ofMillis(Math.max(0, Math.round(value.asDouble() * 1000)));
    }
    JsonNode timestamp = state.get("Timestamp");
    if (timestamp == null && state.path("TimestampPath").isTextual()) {
      timestamp = read(input, state.path("TimestampPath").asText());
    }
    if (timestamp != null && timestamp.isTextual()) {
      try {
        Duration until =
            Duration.between(now, OffsetDateTime.parse(timestamp.asText()).toInstant());
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException notADate) {
        return Duration.ZERO; // a JSONata expression, or a date the execution fails on
      }
    }
    return Duration.ZERO;
  }

  private static @Nullable JsonNode read(JsonNode input, String path) {
    try {
      Object v = JsonPath.using(JAYWAY).parse(input).read(path);
      return v instanceof JsonNode node ? node : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
