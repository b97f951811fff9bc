package dev.troupe.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import dev.troupe.conformance.CaseResult.Outcome;
import dev.troupe.server.ServerConfig;
import dev.troupe.server.TroupeServer;
import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared corpus through the wire protocol: a real {@code troupe server} (SQLite, real time,
 * SigV4 keys) on a free port, and the endpoint runner driving it with the AWS SDK. The selection is
 * a rule, not a list: the pure execution cases, the {@code _validation} cases and the {@code
 * activities} cases (their recorded workers played over the wire), with cases whose definitions
 * wait more than a second in real time skipped. The build fails when a case fails through the
 * endpoint and is listed neither in {@code known-failures/asl.txt} (it fails in process too) nor in
 * {@code known-failures/asl-endpoint.txt} (it passes in process only), and when a case listed in
 * the latter passes through the endpoint or fails in process.
 */
class EndpointCorpusTest {
  private static final Path KNOWN = Path.of("known-failures/asl-endpoint.txt");
  private static final Path KNOWN_IN_PROCESS = Path.of("known-failures/asl.txt");
  private static final String KEY_ID = "AKIDCONFORMANCE";
  private static final String SECRET = "conformance-secret";
  private static final String REGION = "eu-west-3";

  @TempDir static Path temp;
  static ExecutionStore store;
  static TroupeServer server;

  @BeforeAll
  static void start() {
    store = SqliteStore.open(temp.resolve("data"));
    server =
        TroupeServer.start(
            new ServerConfig(
                ServerConfig.LOOPBACK,
                0,
                // not the in-process runner's account and region: the normaliser must use the
                // server's
                new ArnScheme(REGION, "210987654321"),
                Map.of(KEY_ID, SECRET),
                ServerConfig.DEFAULT_MAX_REQUEST_BYTES),
            store);
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  static EndpointRunner.Options options() {
    return EndpointRunner.Options.of(URI.create(server.endpoint()))
        .withAccessKey(KEY_ID, SECRET)
        .withRegion(REGION)
        .withMaxRealWait(Duration.ofSeconds(1))
        .withCaseTimeout(Duration.ofSeconds(20))
        .withRunningWait(Duration.ofSeconds(1));
  }

  @Test
  void thePureCasesThroughTheApiMatchTheKnownDeviations() throws Exception {
    assertThat(CorpusChecks.ASL)
        .as("the shared corpus: a checkout needs ../shared beside it (see README)")
        .isDirectory();
    List<Path> selection = new ArrayList<>();
    for (JsonNode row : CorpusChecks.index().values()) {
      String id = row.path("id").asText();
      if (row.path("pure").asBoolean()
          || id.startsWith("_validation/")
          || id.startsWith("activities/")) {
        selection.add(CorpusChecks.ASL.resolve(id));
      }
    }
    selection.sort(null);
    assertThat(selection).hasSizeGreaterThan(500);

    long started = System.nanoTime();
    Report endpoint = new Report(EndpointRunner.runCases(selection, options()));
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    endpoint.print(System.out);

    // the same selection in process: the cases the endpoint ran
    long ran = 0;
    long passedInProcess = 0;
    Set<String> inProcessPassing = new HashSet<>();
    for (int i = 0; i < selection.size(); i++) {
      if (endpoint.results().get(i).outcome() == Outcome.SKIPPED) {
        continue;
      }
      ran++;
      CaseResult r = ConformanceRunner.runCase(selection.get(i));
      if (r.outcome() == Outcome.PASSED) {
        passedInProcess++;
        inProcessPassing.add(r.id());
      }
    }
    System.out.printf(
        "through the endpoint (%d s): %d of %d run pass (%d skipped); in process: %d of the same"
            + " %d%n",
        seconds, endpoint.passed(), ran, endpoint.skipped(), passedInProcess, ran);

    Map<String, String> listed = KnownFailures.read(KNOWN).reasons();
    Set<String> failingInProcess = KnownFailures.read(KNOWN_IN_PROCESS).reasons().keySet();
    Set<String> unlisted = new TreeSet<>();
    Set<String> listedButPassing = new TreeSet<>();
    Set<String> seen = new HashSet<>();
    for (CaseResult r : endpoint.results()) {
      seen.add(r.id());
      if (r.outcome() == Outcome.FAILED
          && !listed.containsKey(r.id())
          && !failingInProcess.contains(r.id())) {
        unlisted.add(r.id() + ": " + r.reason());
      }
      if (r.outcome() == Outcome.PASSED && listed.containsKey(r.id())) {
        listedButPassing.add(r.id());
      }
    }
    assertThat(unlisted)
        .as(
            "cases that fail through the endpoint but are not in %s (fix them, or list them)",
            KNOWN)
        .isEmpty();
    assertThat(listedButPassing)
        .as("cases that pass through the endpoint but are still listed in %s: remove them", KNOWN)
        .isEmpty();
    Set<String> absent = new TreeSet<>(listed.keySet());
    absent.removeAll(seen);
    assertThat(absent).as("listed cases outside the selection").isEmpty();
    Set<String> notPassingInProcess = new TreeSet<>(listed.keySet());
    notPassingInProcess.removeAll(inProcessPassing);
    assertThat(notPassingInProcess)
        .as("%s lists cases that pass in process only; these do not", KNOWN)
        .isEmpty();
    assertThat(endpoint.passed()).isGreaterThan(500);
  }

  @Test
  void theActivitiesCasesPassWithTheirRecordedWorkersPlayedOverTheWire() throws Exception {
    List<Path> activities = new ArrayList<>();
    for (String id : CorpusChecks.index().keySet()) {
      if (id.startsWith("activities/")) {
        activities.add(CorpusChecks.ASL.resolve(id));
      }
    }
    activities.sort(null);
    assertThat(activities).hasSizeGreaterThanOrEqualTo(6);
    List<CaseResult> results = EndpointRunner.runCases(activities, options());
    Set<String> failingInProcess = KnownFailures.read(KNOWN_IN_PROCESS).reasons().keySet();
    for (CaseResult r : results) {
      if (!failingInProcess.contains(r.id())) {
        assertThat(r.outcome()).as("%s: %s", r.id(), r.reason()).isEqualTo(Outcome.PASSED);
      }
    }
    // the worker took its tasks from the cases' own activities, which are gone again
    try (software.amazon.awssdk.services.sfn.SfnClient sfn =
        software.amazon.awssdk.services.sfn.SfnClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(software.amazon.awssdk.regions.Region.of(REGION))
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        KEY_ID, SECRET)))
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
            .build()) {
      assertThat(sfn.listActivities(b -> b.maxResults(1000)).activities())
          .noneMatch(a -> a.name().startsWith("TroupeConformanceActivity"));
    }
  }

  @Test
  void everyListedCaseHasAReason() throws Exception {
    CorpusChecks.everyListedCaseHasAReasonIfAny(KNOWN);
  }

  @Test
  void aCaseThatWaitsLongInRealTimeIsSkippedWithItsReasonAndAShortOneRuns() throws Exception {
    Path longWait =
        writeCase(
            "suite/long",
            "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":30,\"End\":true}}}",
            "{\"a\":1}",
            "SUCCEEDED",
            "{\"a\":1}");
    Path shortWait =
        writeCase(
            "suite/short",
            "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"SecondsPath\":\"$.s\","
                + "\"End\":true}}}",
            "{\"s\":1}",
            "SUCCEEDED",
            "{\"s\":1}");
    Path wrong =
        writeCase(
            "suite/wrong",
            "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Result\":2,\"End\":true}}}",
            "{}",
            "SUCCEEDED",
            "3");
    Path stillRunning =
        writeCase(
            "suite/running",
            "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":3600,"
                + "\"End\":true}}}",
            "{}",
            "RUNNING",
            "null",
            "[\"ExecutionStarted\",\"WaitStateEntered\"]");
    List<CaseResult> results =
        EndpointRunner.runCases(List.of(longWait, shortWait, wrong, stillRunning), options());
    assertThat(results.get(0).outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(results.get(0).reason()).isEqualTo("waits 30 s in real time (more than 1 s)");
    assertThat(results.get(1).outcome()).as(results.get(1).reason()).isEqualTo(Outcome.PASSED);
    assertThat(results.get(2).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(results.get(2).reason()).isEqualTo("output: expected 3, got 2");
    // recorded while running: judged after the bounded wait, as RUNNING, with the history so far
    assertThat(results.get(3).outcome()).as(results.get(3).reason()).isEqualTo(Outcome.PASSED);
  }

  @Test
  void theRealWaitOfADefinitionIsItsLongestWaitBoundedByItsTimeout() throws Exception {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    JsonNode input = Json.parse("{\"s\":7,\"at\":\"2026-01-01T00:02:00Z\"}");
    assertThat(
            EndpointRunner.realWait(
                Json.parse(
                    "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Branches\":["
                        + "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\","
                        + "\"TimestampPath\":\"$.at\",\"End\":true}}}],\"Next\":\"X\"},"
                        + "\"X\":{\"Type\":\"Wait\",\"SecondsPath\":\"$.s\",\"End\":true}}}"),
                input,
                now))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(
            EndpointRunner.realWait(
                Json.parse(
                    "{\"TimeoutSeconds\":5,\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\","
                        + "\"Seconds\":60,\"End\":true}}}"),
                input,
                now))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(
            EndpointRunner.realWait(
                Json.parse(
                    "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\","
                        + "\"Timestamp\":\"2016-03-14T01:59:00Z\",\"End\":true}}}"),
                input,
                now))
        .isEqualTo(Duration.ZERO);
  }

  private static Path writeCase(
      String id, String definition, String input, String status, String output) throws Exception {
    return writeCase(id, definition, input, status, output, "null");
  }

  private static Path writeCase(
      String id, String definition, String input, String status, String output, String types)
      throws Exception {
    Path dir = Files.createDirectories(temp.resolve("cases").resolve(id));
    Files.writeString(dir.resolve("definition.json"), definition, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("input.json"), input, StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("expected.json"),
        "{\"status\":\""
            + status
            + "\",\"output\":"
            + output
            + ",\"error\":null,\"cause\":null,\"history_types\":"
            + types
            + ",\"services\":[],"
            + "\"features\":[\"Wait\"],\"machine_type\":\"STANDARD\"}",
        StandardCharsets.UTF_8);
    return dir;
  }
}
