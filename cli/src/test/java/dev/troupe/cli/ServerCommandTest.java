package dev.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * {@code troupe server} as a process: it prints where it listens, serves the SDK, and on SIGTERM
 * stops cleanly; a server started again on the same data directory has everything committed and
 * carries on the open executions.
 */
class ServerCommandTest {
  private static final Pattern LISTENING =
      Pattern.compile("troupe server: listening on (http://\\S+) ");

  record Running(Process process, BufferedReader out, String endpoint) {}

  private static Running start(Path data) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Troupe.class.getName(),
                "server",
                "--port",
                "0",
                "--data-dir",
                data.toString(),
                "--region",
                "eu-north-1",
                "--account-id",
                "111122223333",
                "--access-key",
                "AKIDCLI:cli-secret")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).isNotNull();
    Matcher m = LISTENING.matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return new Running(p, out, m.group(1));
  }

  private static SfnClient client(String endpoint) {
    return SfnClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of("eu-north-1"))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCLI", "cli-secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @Test
  void servesTheSdkAndStopsCleanlyOnSigtermKeepingEverything(@TempDir Path temp) throws Exception {
    Path data = temp.resolve("data");
    Running first = start(data);
    String machine;
    String waiting;
    String done;
    try (SfnClient sfn = client(first.endpoint())) {
      machine =
          sfn.createStateMachine(
                  b ->
                      b.name("cli")
                          .roleArn("arn:aws:iam::111122223333:role/r")
                          .definition(
                              "{\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":"
                                  + "[{\"Variable\":\"$.wait\",\"BooleanEquals\":true,\"Next\":\"W\"}],"
                                  + "\"Default\":\"D\"},\"W\":{\"Type\":\"Wait\",\"Seconds\":2,"
                                  + "\"Next\":\"D\"},\"D\":{\"Type\":\"Pass\",\"End\":true}}}"))
              .stateMachineArn();
      assertThat(machine).isEqualTo("arn:aws:states:eu-north-1:111122223333:stateMachine:cli");
      done =
          sfn.startExecution(b -> b.stateMachineArn(machine).name("now").input("{\"wait\":false}"))
              .executionArn();
      waiting =
          sfn.startExecution(b -> b.stateMachineArn(machine).name("later").input("{\"wait\":true}"))
              .executionArn();
      assertThat(sfn.describeExecution(b -> b.executionArn(done)).status())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(sfn.describeExecution(b -> b.executionArn(waiting)).status())
          .isEqualTo(ExecutionStatus.RUNNING);
    }
    first.process().toHandle().destroy(); // SIGTERM, keeping our end of its output open
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.out().readLine()).isEqualTo("troupe server: stopped");

    Running second = start(data);
    try (SfnClient sfn = client(second.endpoint())) {
      assertThat(sfn.listStateMachines(b -> {}).stateMachines())
          .extracting(m -> m.stateMachineArn())
          .isEqualTo(List.of(machine));
      assertThat(sfn.describeExecution(b -> b.executionArn(done)).status())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
      // the open execution is resumed: its timer fires in the new process
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      ExecutionStatus status;
      do {
        Thread.sleep(100);
        status = sfn.describeExecution(b -> b.executionArn(waiting)).status();
      } while (status == ExecutionStatus.RUNNING && System.nanoTime() < deadline);
      assertThat(status).isEqualTo(ExecutionStatus.SUCCEEDED);
    } finally {
      second.process().destroy();
      second.process().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
