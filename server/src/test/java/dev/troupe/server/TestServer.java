package dev.troupe.server;

import dev.troupe.server.sfn.ArnScheme;
import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * A real Troupe server on a real SQLite file for one test, with SDK clients signed with its one
 * key: {@code start} opens the store under a directory (a JUnit {@code @TempDir}) and starts the
 * server on a free port; {@link #close} closes every client it built, the server and the store, so
 * that a test can start another on the same directory.
 */
final class TestServer implements AutoCloseable {
  static final String KEY_ID = "AKIDTROUPETEST";
  static final String SECRET = "troupe-test-secret";
  static final ArnScheme ARNS = new ArnScheme("eu-west-3", "210987654321");

  /** The region, account and key {@link AwsCliTest#run} gives the {@code aws} CLI. */
  static final ArnScheme CLI_ARNS = new ArnScheme("ap-south-1", "444455556666");

  static final String CLI_KEY_ID = "AKIDCLI";
  static final String CLI_SECRET = "cli-secret";

  private final Path dir;

  private final JdbcStore store;
  private final TroupeServer server;
  private final ArnScheme arns;
  private final String keyId;
  private final String secret;
  private final List<SdkAutoCloseable> clients = new ArrayList<>();

  private TestServer(
      Path dir, JdbcStore store, TroupeServer server, ArnScheme arns, String keyId, String secret) {
    this.dir = dir;
    this.store = store;
    this.server = server;
    this.arns = arns;
    this.keyId = keyId;
    this.secret = secret;
  }

  /** In eu-west-3, account 210987654321, with {@link #KEY_ID} and {@link #SECRET}. */
  static TestServer start(Path dir) {
    return start(dir, KEY_ID, SECRET);
  }

  /** In eu-west-3, account 210987654321, with the given key. */
  static TestServer start(Path dir, String keyId, String secret) {
    return start(dir, ARNS, keyId, secret, TroupeServer::start);
  }

  /** For the {@code aws} CLI: in {@link #CLI_ARNS}'s region and account, with its key. */
  static TestServer forAwsCli(Path dir) {
    return forAwsCli(dir, TroupeServer::start);
  }

  /** For the {@code aws} CLI, the server started by {@code starter}. */
  static TestServer forAwsCli(Path dir, BiFunction<ServerConfig, JdbcStore, TroupeServer> starter) {
    return start(dir, CLI_ARNS, CLI_KEY_ID, CLI_SECRET, starter);
  }

  /** With the default region, account and key, the server started by {@code starter}. */
  static TestServer start(Path dir, BiFunction<ServerConfig, JdbcStore, TroupeServer> starter) {
    return start(dir, ARNS, KEY_ID, SECRET, starter);
  }

  /**
   * With the given region, account and key, the server started by {@code starter} from the config
   * and the store (for a test's own clock, randomness or task handler).
   */
  static TestServer start(
      Path dir,
      ArnScheme arns,
      String keyId,
      String secret,
      BiFunction<ServerConfig, JdbcStore, TroupeServer> starter) {
    JdbcStore store = SqliteStore.open(dir.resolve("data"));
    try {
      ServerConfig config =
          new ServerConfig(
              "127.0.0.1", 0, arns, Map.of(keyId, secret), ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
      return new TestServer(dir, store, starter.apply(config, store), arns, keyId, secret);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  JdbcStore store() {
    return store;
  }

  TroupeServer server() {
    return server;
  }

  String endpoint() {
    return server.endpoint();
  }

  /**
   * Runs {@code aws stepfunctions ARGS} against this server as {@link AwsCliTest#run} does, signed
   * with its secret, with the configuration files and outputs in the server's directory.
   */
  AwsCliTest.Result aws(String... args) throws Exception {
    return AwsCliTest.run(dir, endpoint(), secret, args);
  }

  /** Runs {@code aws SERVICE ARGS} as {@link #aws} does. */
  AwsCliTest.Result awsService(String service, String... args) throws Exception {
    return AwsCliTest.runService(dir, endpoint(), secret, service, args);
  }

  /** A new Step Functions client (one attempt, no retries), closed with this server. */
  SfnClient sfn() {
    SfnClient sfn =
        SfnClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.of(arns.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
            .build();
    return closedWithThis(sfn);
  }

  /**
   * A new SQS client (one attempt, no retries; a 30 s socket timeout for long polls), closed with
   * this server.
   */
  SqsClient sqs() {
    SqsClient sqs =
        SqsClient.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.of(arns.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
            .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
            .build();
    return closedWithThis(sqs);
  }

  private synchronized <T extends SdkAutoCloseable> T closedWithThis(T client) {
    clients.add(client);
    return client;
  }

  @Override
  public synchronized void close() {
    for (SdkAutoCloseable client : clients.reversed()) {
      client.close();
    }
    clients.clear();
    server.close();
    store.close();
  }
}
