package dev.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.check.Diagnostic;
import dev.troupe.asl.json.Json;
import dev.troupe.asl.model.StateMachine;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import dev.troupe.kernel.Limits;
import dev.troupe.runtime.Arns;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.InvalidDefinitionException;
import dev.troupe.runtime.RunOptions;
import dev.troupe.runtime.RunResult;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.bucket.LocalBuckets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code troupe run FILE [--input JSON|@file] [--history] [--virtual-time] [--type
 * STANDARD|EXPRESS] [--max-duration SECONDS]}.
 */
@Command(
    name = "run",
    description = "Runs a state machine in memory and prints its output (or error and cause).",
    exitCodeOnInvalidInput = ExitCodes.USAGE)
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the definition (JSON)")
  Path file;

  @Option(
      names = "--input",
      paramLabel = "JSON|@FILE",
      description = "the execution input: JSON text, or @ and a file name (default: {})")
  @Nullable String input;

  @Option(names = "--history", description = "print the history events (JSON lines) first")
  boolean history;

  @Option(
      names = "--virtual-time",
      description = "let Wait states and retries advance a virtual clock instead of sleeping")
  boolean virtualTime;

  @Option(names = "--name", description = "the execution's name (default: a UUID)")
  @Nullable String name;

  @Option(
      names = "--bucket",
      paramLabel = "NAME=DIR",
      description =
          "a bucket for Distributed Map ItemReader/ResultWriter, kept in a local folder"
              + " (repeatable)")
  java.util.List<String> buckets = new java.util.ArrayList<>();

  @Option(
      names = "--type",
      paramLabel = "STANDARD|EXPRESS",
      description =
          "the state machine type (default: STANDARD); EXPRESS is checked as Express (no .sync,"
              + " .waitForTaskToken or activities), runs at most 5 minutes and has an express ARN")
  String type = "STANDARD";

  @Option(
      names = "--max-duration",
      paramLabel = "SECONDS",
      description =
          "the execution's maximum duration, after which it ends TIMED_OUT with States.Timeout"
              + " (default: Step Functions' 31536000 for STANDARD, 300 for EXPRESS)")
  @Nullable Long maxDuration;

  @Option(
      names = "--max-seconds",
      description = "stop driving the execution after this many real seconds (default: 86400)")
  long maxSeconds = 86_400;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Files2.Program program;
    try {
      program = Files2.program(file, input);
    } catch (Files2.BadProgram e) {
      err.println(e.getMessage());
      return e.exitCode;
    }
    String definition = program.definition();
    JsonNode inputValue = program.input();
    if (!type.equals("STANDARD") && !type.equals("EXPRESS")) {
      err.println("troupe: --type must be STANDARD or EXPRESS, got " + type);
      return ExitCodes.USAGE;
    }
    boolean express = type.equals("EXPRESS");
    Limits limits = Limits.DEFAULT;
    if (maxDuration != null) {
      if (maxDuration < 1) {
        err.println("troupe: --max-duration must be a positive number of seconds");
        return ExitCodes.USAGE;
      }
      limits =
          express
              ? limits.withMaxExpressDuration(Duration.ofSeconds(maxDuration))
              : limits.withMaxStandardDuration(Duration.ofSeconds(maxDuration));
    }
    StateMachine machine;
    try {
      machine = InMemoryRunner.load(definition, express);
    } catch (InvalidDefinitionException e) {
      for (Diagnostic d : e.diagnostics()) {
        err.println(
            (d.pointer().isEmpty() ? "/" : d.pointer()) + ": " + d.code() + ": " + d.message());
      }
      err.println(file + ": invalid definition");
      return ExitCodes.DATA;
    }
    String machineName = file.getFileName().toString().replaceFirst("(\\.asl)?\\.json$", "");
    String executionName = name != null ? name : UUID.randomUUID().toString();
    RunOptions options =
        new RunOptions(
                virtualTime,
                virtualTime ? Instant.parse("2030-01-01T00:00:00Z") : Instant.now(),
                Duration.ofSeconds(maxSeconds),
                machineName,
                executionName)
            .withLimits(limits)
            .withType(
                express,
                express
                    ? Arns.expressExecution(
                        machineName, executionName, UUID.randomUUID().toString())
                    : null);
    java.util.Map<String, Path> bucketDirs = new java.util.LinkedHashMap<>();
    for (String b : buckets) {
      try {
        java.util.Map.Entry<String, Path> e = LocalBuckets.parse(b);
        bucketDirs.put(e.getKey(), e.getValue());
      } catch (IllegalArgumentException e) {
        err.println("troupe: --bucket: " + e.getMessage());
        return ExitCodes.USAGE;
      }
    }
    RunResult result =
        new InMemoryRunner(
                TaskHandler.NONE, java.time.Clock.systemUTC(), new LocalBuckets(bucketDirs))
            .run(machine, inputValue, options);
    if (history) {
      for (HistoryEvent e : result.history()) {
        ObjectNode line = Json.NODES.objectNode();
        line.put("id", e.id());
        line.put("previousEventId", e.previousEventId());
        line.put("timestamp", e.timestamp().toString());
        line.put("type", e.type());
        line.setAll(e.details());
        out.println(Json.write(line));
      }
    }
    if (result.status() == ExecutionStatus.SUCCEEDED && result.output() != null) {
      out.println(Json.MAPPER.valueToTree(result.output()).toPrettyString());
      return ExitCodes.OK;
    }
    out.println("status: " + result.status());
    if (result.error() != null) {
      out.println("error: " + result.error());
    }
    if (result.cause() != null) {
      out.println("cause: " + result.cause());
    }
    return ExitCodes.FAILED;
  }
}
