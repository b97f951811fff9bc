package dev.troupe.asl.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One state of a checked state machine. Path fields keep the definition's JSON value as it stands
 * ({@code null} when absent, a JSON null when written as {@code null}) because the data flow treats
 * the two differently.
 */
public sealed interface State {
  String name();

  /** The raw definition of the state, for events and error messages. */
  JsonNode raw();

  /** The transition: the next state's name, or null for a state that ends its branch. */
  @Nullable String next();

  @Nullable JsonNode inputPath();

  @Nullable JsonNode outputPath();

  /** The state's retriers (Task, Parallel and Map have them; others none). */
  default List<Retrier> retriers() {
    return switch (this) {
      case TaskState t -> t.retry();
      case ParallelState p -> p.retry();
      case MapState m -> m.retry();
      default -> List.of();
    };
  }

  /** The state's catchers (Task, Parallel and Map have them; others none). */
  default List<Catcher> catchers() {
    return switch (this) {
      case TaskState t -> t.catchers();
      case ParallelState p -> p.catchers();
      case MapState m -> m.catchers();
      default -> List.of();
    };
  }

  /** The state's own QueryLanguage, or null when it takes the machine's. */
  default @Nullable String queryLanguage() {
    JsonNode ql = raw().get("QueryLanguage");
    return ql == null ? null : ql.asText();
  }

  /** The state's Assign field (variables), or null. */
  default @Nullable JsonNode assign() {
    return raw().get("Assign");
  }

  /** The state's Output field (JSONata), or null. */
  default @Nullable JsonNode output() {
    return raw().get("Output");
  }

  /** Type name as it appears in history events ({@code Pass} gives {@code PassStateEntered}). */
  default String eventPrefix() {
    return switch (this) {
      case PassState s -> "Pass";
      case TaskState s -> "Task";
      case ChoiceState s -> "Choice";
      case WaitState s -> "Wait";
      case SucceedState s -> "Succeed";
      case FailState s -> "Fail";
      case ParallelState s -> "Parallel";
      case MapState s -> "Map";
    };
  }

  record PassState(
      String name,
      JsonNode raw,
      @Nullable String next,
      @Nullable JsonNode inputPath,
      @Nullable JsonNode outputPath,
      @Nullable JsonNode parameters,
      @Nullable JsonNode result,
      @Nullable JsonNode resultPath)
      implements State {}

  record TaskState(
      String name,
      JsonNode raw,
      @Nullable String next,
      @Nullable JsonNode inputPath,
      @Nullable JsonNode outputPath,
      @Nullable JsonNode parameters,
      @Nullable JsonNode resultSelector,
      @Nullable JsonNode resultPath,
      String resource,
      Timeout timeout,
      Timeout heartbeat,
      List<Retrier> retry,
      List<Catcher> catchers)
      implements State {}

  record ChoiceState(
      String name,
      JsonNode raw,
      @Nullable JsonNode inputPath,
      @Nullable JsonNode outputPath,
      List<Choice> choices,
      @Nullable String defaultNext)
      implements State {
    @Override
    public @Nullable String next() {
      return null;
    }
  }

  record WaitState(
      String name,
      JsonNode raw,
      @Nullable String next,
      @Nullable JsonNode inputPath,
      @Nullable JsonNode outputPath,
      @Nullable JsonNode seconds,
      @Nullable String secondsPath,
      @Nullable String timestamp,
      @Nullable String timestampPath)
      implements State {}

  record SucceedState(
      String name, JsonNode raw, @Nullable JsonNode inputPath, @Nullable JsonNode outputPath)
      implements State {
    @Override
    public @Nullable String next() {
      return null;
    }
  }

  record FailState(
      String name,
      JsonNode raw,
      @Nullable String error,
      @Nullable String errorPath,
      @Nullable String cause,
      @Nullable String causePath)
      implements State {
    @Override
    public @Nullable String next() {
      return null;
    }

    @Override
    public @Nullable JsonNode inputPath() {
      return null;
    }

    @Override
    public @Nullable JsonNode outputPath() {
      return null;
    }
  }

  record ParallelState(
      String name,
      JsonNode raw,
      @Nullable String next,
      @Nullable JsonNode inputPath,
      @Nullable JsonNode outputPath,
      @Nullable JsonNode parameters,
      @Nullable JsonNode resultSelector,
      @Nullable JsonNode resultPath,
      List<Branch> branches,
      List<Retrier> retry,
      List<Catcher> catchers)
      implements State {}

  /**
   * A Map state. {@code itemSelector} is ItemSelector or the legacy Parameters; {@code processor}
   * is ItemProcessor or the legacy Iterator.
   */
  record MapState(
      String name,
      JsonNode raw,
      @Nullable String next,
      @Nullable JsonNode inputPath,
      @Nullable JsonNode outputPath,
      @Nullable JsonNode itemsPath,
      @Nullable JsonNode itemSelector,
      @Nullable JsonNode resultSelector,
      @Nullable JsonNode resultPath,
      Branch processor,
      boolean distributed,
      IntOrPath maxConcurrency,
      @Nullable IntOrPath toleratedFailureCount,
      @Nullable IntOrPath toleratedFailurePercentage,
      List<Retrier> retry,
      List<Catcher> catchers)
      implements State {}

  /** A rule of a Choice state, where it leads, and what it assigns and outputs when it matches. */
  record Choice(
      dev.troupe.asl.choice.ChoiceRule rule,
      String next,
      @Nullable JsonNode assign,
      @Nullable JsonNode output) {}

  /** A number given literally, or read from a path at run time. */
  record IntOrPath(@Nullable JsonNode literal, @Nullable String path) {}

  /** TimeoutSeconds/HeartbeatSeconds or their Path variants; both null when not set. */
  record Timeout(@Nullable Integer seconds, @Nullable String path) {}
}
