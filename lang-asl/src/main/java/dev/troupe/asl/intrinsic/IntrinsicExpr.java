package dev.troupe.asl.intrinsic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A parsed intrinsic function call and its arguments. */
public sealed interface IntrinsicExpr {
  /** {@code States.Name(arg, ...)}. */
  record Call(String name, List<IntrinsicExpr> args) implements IntrinsicExpr {}

  /**
   * A quoted string. {@code raw} keeps the escapes as written, which States.Format needs to tell an
   * escaped brace from a placeholder; {@code value} is the string they denote.
   */
  record Text(String raw, String value) implements IntrinsicExpr {}

  /** A number, true, false or null. */
  record Literal(JsonNode value) implements IntrinsicExpr {}

  /** A JSONPath ({@code $.a}) or context path ({@code $$.Execution.Id}). */
  record Path(String path) implements IntrinsicExpr {}
}
