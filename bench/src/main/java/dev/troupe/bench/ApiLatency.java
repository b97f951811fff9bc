package dev.troupe.bench;

import dev.troupe.server.ServerConfig;
import dev.troupe.server.TroupeServer;
import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.SqliteStore;
import dev.troupe.store.memory.InMemoryStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.SyncExecutionStatus;

/**
 * The latency of the Step Functions API through the AWS SDK for Java v2, signed (SigV4), over HTTP
 * on loopback to an in-process {@code troupe server}, one call at a time. Two modes:
 *
 * <ul>
 *   <li>{@code start-describe} (the default): one StartExecution of a one-state (Pass) STANDARD
 *       machine followed by one DescribeExecution; p50/p90/p99/max of the pair and of each call.
 *   <li>{@code start-sync}: one StartSyncExecution of a one-state (Pass) EXPRESS machine, which
 *       answers with the execution's end; p50/p90/p99/max of the call.
 * </ul>
 *
 * <p>{@code java -cp bench/target/troupe-bench.jar dev.troupe.bench.ApiLatency [--mode
 * start-describe|start-sync] [--store sqlite|memory] [--count N] [--warmup N]}
 */
public final class ApiLatency {
  /** Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
  private static final java.util.logging.Logger HELIDON_LOG =
      java.util.logging.Logger.getLogger("io.helidon");

  private static final java.util.logging.Logger FLYWAY_LOG =
      java.util.logging.Logger.getLogger("org.flywaydb");

  private ApiLatency() {}

  public static void main(String[] args) throws IOException {
    String storeKind = "sqlite";
    String mode = "start-describe";
    int count = 2000;
    int warmup = 500;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--store" -> storeKind = args[++i];
        case "--mode" -> mode = args[++i];
        case "--count" -> count = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> {
          usage();
        }
      }
    }
    if (!mode.equals("start-describe") && !mode.equals("start-sync")) {
      usage();
    }
    HELIDON_LOG.setLevel(java.util.logging.Level.WARNING);
    FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
    Path dir = Files.createTempDirectory("troupe-api-latency");
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (ExecutionStore store =
            storeKind.equals("memory")
                ? new InMemoryStore()
                : SqliteStore.open(dir.resolve("data"));
        TroupeServer server =
            TroupeServer.start(
                new ServerConfig(
                    "127.0.0.1",
                    0,
                    new ArnScheme("us-east-1", "123456789012"),
                    Map.of("AKIDBENCH", "bench-secret"),
                    ServerConfig.DEFAULT_MAX_REQUEST_BYTES),
                store);
        SfnClient sfn =
            SfnClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDBENCH", "bench-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                // StartSyncExecution's endpoint has a host prefix (sync-): not for a local one
                .overrideConfiguration(
                    o ->
                        o.putAdvancedOption(
                            SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                .build()) {
      if (mode.equals("start-sync")) {
        startSync(sfn, storeKind, count, warmup, out);
        return;
      }
      String machine =
          sfn.createStateMachine(
                  b ->
                      b.name("one-state")
                          .roleArn("arn:aws:iam::123456789012:role/bench")
                          .definition(
                              "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"))
              .stateMachineArn();
      long[] pair = new long[count];
      long[] start = new long[count];
      long[] describe = new long[count];
      for (int i = -warmup; i < count; i++) {
        String name = "e" + (i + warmup);
        long t0 = System.nanoTime();
        String execution =
            sfn.startExecution(b -> b.stateMachineArn(machine).name(name).input("{\"n\":1}"))
                .executionArn();
        long t1 = System.nanoTime();
        ExecutionStatus status = sfn.describeExecution(b -> b.executionArn(execution)).status();
        long t2 = System.nanoTime();
        if (status != ExecutionStatus.SUCCEEDED) {
          throw new IllegalStateException(execution + " is " + status + ", not SUCCEEDED");
        }
        if (i >= 0) {
          start[i] = t1 - t0;
          describe[i] = t2 - t1;
          pair[i] = t2 - t0;
        }
      }
      out.printf(
          "Step Functions API through the AWS SDK for Java v2 (SigV4, HTTP/1.1 on loopback), store %s,"
              + " one-state Pass machine, %d pairs after %d warm-up, one at a time%n",
          storeKind, count, warmup);
      out.printf("%-34s %9s %9s %9s %9s%n", "", "p50 ms", "p90 ms", "p99 ms", "max ms");
      row(out, "StartExecution + DescribeExecution", pair);
      row(out, "StartExecution", start);
      row(out, "DescribeExecution", describe);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void usage() {
    System.err.println(
        "usage: ApiLatency [--mode start-describe|start-sync] [--store sqlite|memory] [--count N]"
            + " [--warmup N]");
    System.exit(64);
  }

  /** StartSyncExecution of a one-state EXPRESS machine, one call at a time. */
  private static void startSync(
      SfnClient sfn, String storeKind, int count, int warmup, PrintStream out) {
    String machine =
        sfn.createStateMachine(
                b ->
                    b.name("one-state-express")
                        .type(StateMachineType.EXPRESS)
                        .roleArn("arn:aws:iam::123456789012:role/bench")
                        .definition(
                            "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"))
            .stateMachineArn();
    long[] sync = new long[count];
    for (int i = -warmup; i < count; i++) {
      String name = "e" + (i + warmup);
      long t0 = System.nanoTime();
      SyncExecutionStatus status =
          sfn.startSyncExecution(b -> b.stateMachineArn(machine).name(name).input("{\"n\":1}"))
              .status();
      long t1 = System.nanoTime();
      if (status != SyncExecutionStatus.SUCCEEDED) {
        throw new IllegalStateException(name + " is " + status + ", not SUCCEEDED");
      }
      if (i >= 0) {
        sync[i] = t1 - t0;
      }
    }
    out.printf(
        "Step Functions API through the AWS SDK for Java v2 (SigV4, HTTP/1.1 on loopback), store %s,"
            + " one-state Pass EXPRESS machine, %d calls after %d warm-up, one at a time%n",
        storeKind, count, warmup);
    out.printf("%-34s %9s %9s %9s %9s%n", "", "p50 ms", "p90 ms", "p99 ms", "max ms");
    row(out, "StartSyncExecution", sync);
  }

  private static void row(PrintStream out, String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    out.printf(
        "%-34s %9.2f %9.2f %9.2f %9.2f%n",
        what,
        Stats.percentile(sorted, 50) / 1e6,
        Stats.percentile(sorted, 90) / 1e6,
        Stats.percentile(sorted, 99) / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }
}
