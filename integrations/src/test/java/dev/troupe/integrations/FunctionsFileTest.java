package dev.troupe.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.integrations.functions.FunctionDefinition;
import dev.troupe.integrations.functions.FunctionName;
import dev.troupe.integrations.functions.Functions;
import dev.troupe.integrations.functions.FunctionsFile;
import dev.troupe.integrations.functions.Invocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The functions file: a real file in a temporary folder, and the script it names run for real. */
class FunctionsFileTest {
  @TempDir Path dir;

  @Test
  void readsEndpointsAndCommandsAndRunsTheScriptItNames() throws Exception {
    Path fns = Files.createDirectories(dir.resolve("fns"));
    Path script = fns.resolve("double.sh");
    Files.writeString(script, "#!/bin/sh\nread n\necho $((n * FACTOR))\n", StandardCharsets.UTF_8);
    script.toFile().setExecutable(true);
    Path file = dir.resolve("functions.json");
    Files.writeString(
        file,
        """
        {"functions": [
          {"name": "remote", "url": "http://127.0.0.1:9/fn", "headers": {"X-Key": "k"}},
          {"name": "double", "command": ["./double.sh"], "workingDirectory": "fns",
           "environment": {"FACTOR": "2"}, "timeoutSeconds": 5}
        ]}
        """);
    List<FunctionDefinition> read = FunctionsFile.read(file);
    assertThat(read).hasSize(2);
    assertThat(read.get(0).timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(read.get(0).runs())
        .isEqualTo(
            new FunctionDefinition.Endpoint(
                java.net.URI.create("http://127.0.0.1:9/fn"), Map.of("X-Key", "k")));
    assertThat(read.get(1).timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(((FunctionDefinition.Command) read.get(1).runs()).directory())
        .isEqualTo(fns.toAbsolutePath());
    try (Functions functions = new Functions("us-east-1", "123456789012", read)) {
      Invocation done =
          functions.invoke(FunctionName.parse("double"), "21\n".getBytes(StandardCharsets.UTF_8));
      assertThat(done).isInstanceOf(Invocation.Returned.class);
      Invocation.Returned r = (Invocation.Returned) done;
      assertThat(r.functionError()).isNull();
      assertThat(r.payloadText().trim()).isEqualTo("42");
    }
  }

  @Test
  void reportsEveryMistakeWithItsPointer() throws Exception {
    String text =
        """
        {"functions": [
          {"name": "ok", "url": "http://127.0.0.1:9/"},
          {"name": "ok", "url": "http://127.0.0.1:9/"},
          {"name": "bad name!", "url": "ftp://x/"},
          {"name": "both", "url": "http://x/", "command": ["a"]},
          {"name": "t", "command": [], "timeoutSeconds": 901, "colour": "red"}
        ], "extra": 1}
        """;
    assertThatThrownBy(() -> FunctionsFile.parse(text, dir, "f.json"))
        .isInstanceOf(FunctionsFile.InvalidFunctionsFile.class)
        .hasMessageStartingWith("f.json: ")
        .hasMessageContaining("/extra: unknown member")
        .hasMessageContaining("/functions/1/name: the function 'ok' is defined twice")
        .hasMessageContaining("/functions/2/name: a function name is 1 to 64")
        .hasMessageContaining("/functions/2/url: expected an absolute http or https URL")
        .hasMessageContaining("/functions/3: give exactly one of 'url'")
        .hasMessageContaining("/functions/4/colour: unknown member")
        .hasMessageContaining("/functions/4/timeoutSeconds: expected an integer from 1 to 900")
        .hasMessageContaining("/functions/4/command: expected a non-empty array");
    assertThatThrownBy(() -> FunctionsFile.parse("{\"functions\": [", dir, "g.json"))
        .hasMessageStartingWith("g.json: not JSON");
  }
}
