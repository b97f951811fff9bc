package dev.troupe.asl.choice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.eval.Timestamps;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The comparison operators of Choice rules. A comparison whose value is not of the operator's type
 * is false, not an error, as in Step Functions.
 */
public enum Operator {
  STRING_EQUALS("StringEquals", true),
  STRING_LESS_THAN("StringLessThan", true),
  STRING_GREATER_THAN("StringGreaterThan", true),
  STRING_LESS_THAN_EQUALS("StringLessThanEquals", true),
  STRING_GREATER_THAN_EQUALS("StringGreaterThanEquals", true),
  STRING_MATCHES("StringMatches", false),
  NUMERIC_EQUALS("NumericEquals", true),
  NUMERIC_LESS_THAN("NumericLessThan", true),
  NUMERIC_GREATER_THAN("NumericGreaterThan", true),
  NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", true),
  NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", true),
  BOOLEAN_EQUALS("BooleanEquals", true),
  TIMESTAMP_EQUALS("TimestampEquals", true),
  TIMESTAMP_LESS_THAN("TimestampLessThan", true),
  TIMESTAMP_GREATER_THAN("TimestampGreaterThan", true),
  TIMESTAMP_LESS_THAN_EQUALS("TimestampLessThanEquals", true),
  TIMESTAMP_GREATER_THAN_EQUALS("TimestampGreaterThanEquals", true),
  IS_NULL("IsNull", false),
  IS_PRESENT("IsPresent", false),
  IS_NUMERIC("IsNumeric", false),
  IS_STRING("IsString", false),
  IS_BOOLEAN("IsBoolean", false),
  IS_TIMESTAMP("IsTimestamp", false);

  private final String fieldName;
  private final boolean pathVariant;

  Operator(String fieldName, boolean pathVariant) {
    this.fieldName = fieldName;
    this.pathVariant = pathVariant;
  }

  /** The field name in a choice rule, such as {@code NumericEquals}. */
  public String fieldName() {
    return fieldName;
  }

  /** Whether the operator has a {@code ...Path} variant. */
  public boolean hasPathVariant() {
    return pathVariant;
  }

  public static @Nullable Operator byName(String name) {
    for (Operator op : values()) {
      if (op.fieldName.equals(name)) {
        return op;
      }
    }
    return null;
  }

  /** Compares {@code value} (selected by Variable) with {@code operand}. */
  boolean test(JsonNode value, JsonNode operand) {
    return switch (this) {
      case STRING_EQUALS,
          STRING_LESS_THAN,
          STRING_GREATER_THAN,
          STRING_LESS_THAN_EQUALS,
          STRING_GREATER_THAN_EQUALS ->
          value.isTextual()
              && operand.isTextual()
              && order(value.asText().compareTo(operand.asText()));
      case STRING_MATCHES ->
          value.isTextual() && operand.isTextual() && wildcard(value.asText(), operand.asText());
      case NUMERIC_EQUALS,
          NUMERIC_LESS_THAN,
          NUMERIC_GREATER_THAN,
          NUMERIC_LESS_THAN_EQUALS,
          NUMERIC_GREATER_THAN_EQUALS ->
          value.isNumber()
              && operand.isNumber()
              && order(value.decimalValue().compareTo(operand.decimalValue()));
      case BOOLEAN_EQUALS ->
          value.isBoolean() && operand.isBoolean() && value.asBoolean() == operand.asBoolean();
      case TIMESTAMP_EQUALS,
          TIMESTAMP_LESS_THAN,
          TIMESTAMP_GREATER_THAN,
          TIMESTAMP_LESS_THAN_EQUALS,
          TIMESTAMP_GREATER_THAN_EQUALS -> {
        Instant a = timestamp(value);
        Instant b = timestamp(operand);
        yield a != null && b != null && order(a.compareTo(b));
      }
      case IS_NULL -> value.isNull() == operand.asBoolean();
      case IS_PRESENT -> throw new IllegalStateException("IsPresent is decided by the rule");
      case IS_NUMERIC -> value.isNumber() == operand.asBoolean();
      case IS_STRING -> value.isTextual() == operand.asBoolean();
      case IS_BOOLEAN -> value.isBoolean() == operand.asBoolean();
      case IS_TIMESTAMP -> (timestamp(value) != null) == operand.asBoolean();
    };
  }

  private boolean order(int cmp) {
    String n = fieldName;
    if (n.endsWith("GreaterThanEquals")) {
      return cmp >= 0;
    }
    if (n.endsWith("LessThanEquals")) {
      return cmp <= 0;
    }
    if (n.endsWith("GreaterThan")) {
      return cmp > 0;
    }
    if (n.endsWith("LessThan")) {
      return cmp < 0;
    }
    return cmp == 0;
  }

  private static @Nullable Instant timestamp(JsonNode v) {
    return v.isTextual() ? Timestamps.parse(v.asText()) : null;
  }

  /**
   * StringMatches: {@code *} matches any run of characters; {@code \*} is a literal star and {@code
   * \\} a literal backslash.
   */
  static boolean wildcard(String text, String pattern) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        literal.append(pattern.charAt(++i));
      } else if (c == '*') {
        if (!literal.isEmpty()) {
          regex.append(java.util.regex.Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append("[\\s\\S]*");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      regex.append(java.util.regex.Pattern.quote(literal.toString()));
    }
    return java.util.regex.Pattern.matches(regex.toString(), text);
  }
}
