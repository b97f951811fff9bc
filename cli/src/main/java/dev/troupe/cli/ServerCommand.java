package dev.troupe.cli;

import dev.troupe.integrations.functions.FunctionDefinition;
import dev.troupe.integrations.functions.FunctionsFile;
import dev.troupe.kernel.Limits;
import dev.troupe.server.ServerConfig;
import dev.troupe.server.TroupeServer;
import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.ExecutionStore;
import dev.troupe.store.jdbc.PostgresStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code troupe server}: the Step Functions API (AWS JSON 1.0, SigV4) on one port, over the durable
 * runtime in the SQLite store of a data directory or a PostgreSQL store. Runs until SIGTERM (or
 * Ctrl-C), then stops listening, lets requests in flight finish, stops the runtime's workers and
 * closes the store: everything committed stays committed, and a server started again on the same
 * store resumes the open executions.
 */
@Command(
    name = "server",
    description =
        "Serves the Step Functions API for the AWS SDKs and CLI, durably, until stopped (SIGTERM).",
    exitCodeOnInvalidInput = ExitCodes.USAGE)
final class ServerCommand implements Callable<Integer> {
  /** Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
  private static final java.util.logging.Logger HELIDON_LOG =
      java.util.logging.Logger.getLogger("io.helidon");

  private static final java.util.logging.Logger FLYWAY_LOG =
      java.util.logging.Logger.getLogger("org.flywaydb");

  @Spec CommandSpec spec;

  @Option(names = "--port", description = "the port (default: 8083; 0 picks a free one)")
  int port = 8083;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description =
          "the address to listen on (default: 127.0.0.1); other than loopback only with"
              + " --access-key")
  String bind = ServerConfig.LOOPBACK;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "the data directory of the SQLite store (default: troupe-data)")
  @Nullable Path dataDir;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description = "a PostgreSQL store instead: its JDBC URL (jdbc:postgresql://...)")
  @Nullable String jdbcUrl;

  @Option(names = "--jdbc-user", description = "the PostgreSQL user (default: none)")
  @Nullable String jdbcUser;

  @Option(
      names = "--jdbc-password-env",
      paramLabel = "VAR",
      description = "the environment variable that holds the PostgreSQL password")
  @Nullable String jdbcPasswordEnv;

  @Option(names = "--account-id", description = "the account id in ARNs (default: 123456789012)")
  String accountId = "123456789012";

  @Option(
      names = "--region",
      description = "the region in ARNs and signatures (default: us-east-1)")
  String region = "us-east-1";

  @Option(
      names = "--access-key",
      paramLabel = "ID:SECRET",
      description =
          "an access key that may sign requests (SigV4), repeatable; without any, unsigned"
              + " requests are accepted and the server listens on loopback only")
  List<String> accessKeys = new ArrayList<>();

  @Option(
      names = "--functions",
      paramLabel = "FILE",
      description =
          "a JSON file of functions (HTTP endpoints or local commands) for lambda:invoke, function"
              + " ARNs and Lambda's Invoke API; see the README")
  @Nullable Path functionsFile;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (dataDir != null && jdbcUrl != null) {
      err.println("troupe: give at most one of --data-dir DIR (SQLite) and --jdbc-url URL");
      return ExitCodes.USAGE;
    }
    Map<String, String> keys = new LinkedHashMap<>();
    for (String k : accessKeys) {
      int colon = k.indexOf(':');
      if (colon <= 0 || colon == k.length() - 1) {
        err.println("troupe: --access-key takes ID:SECRET, got '" + k + "'");
        return ExitCodes.USAGE;
      }
      keys.put(k.substring(0, colon), k.substring(colon + 1));
    }
    ServerConfig config;
    try {
      config =
          new ServerConfig(
              bind,
              port,
              new ArnScheme(region, accountId),
              keys,
              ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
    } catch (IllegalArgumentException e) {
      err.println("troupe: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    List<FunctionDefinition> functions = List.of();
    if (functionsFile != null) {
      try {
        functions = FunctionsFile.read(functionsFile);
      } catch (FunctionsFile.InvalidFunctionsFile e) {
        err.println("troupe: " + e.getMessage());
        return ExitCodes.USAGE;
      }
    }
    // the server's libraries report their start through java.util.logging: keep to warnings
    HELIDON_LOG.setLevel(java.util.logging.Level.WARNING);
    FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
    String where;
    ExecutionStore store;
    if (jdbcUrl != null) {
      String password = jdbcPasswordEnv == null ? null : System.getenv(jdbcPasswordEnv);
      store = PostgresStore.open(jdbcUrl, jdbcUser, password);
      where = "PostgreSQL " + jdbcUrl;
    } else {
      Path dir = dataDir == null ? Path.of("troupe-data") : dataDir;
      store = SqliteStore.open(dir);
      where = "SQLite " + dir.toAbsolutePath().resolve(SqliteStore.FILE_NAME);
    }
    TroupeServer server;
    try {
      server =
          TroupeServer.start(
              config, store, Clock.systemUTC(), Limits.DEFAULT, new SplittableRandom(), functions);
    } catch (RuntimeException e) {
      store.close();
      err.println("troupe: the server could not start: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  store.close();
                  out.println("troupe server: stopped");
                  out.flush();
                  stopped.countDown();
                },
                "troupe-server-shutdown"));
    out.println(
        "troupe server: listening on "
            + server.endpoint()
            + " (Step Functions; account "
            + accountId
            + ", region "
            + region
            + ", "
            + (keys.isEmpty() ? "unsigned requests accepted" : keys.size() + " access key(s)")
            + "; "
            + functions.size()
            + " function(s)); store: "
            + where);
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
