package dev.troupe.asl.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one JSON configuration of the ASL core. Numbers keep their written form (big decimals),
 * duplicate keys are rejected, and text is written compactly, as Step Functions writes it.
 *
 * <p>JsonNode values handled by the core are never mutated after they are built: code that needs a
 * changed document makes a copy.
 */
public final class Json {
  private Json() {}

  public static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  public static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

  /** Parses JSON text; throws {@link JsonProcessingException} with a position on bad text. */
  public static JsonNode parse(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  /** JSON equality with numbers compared by value (1 equals 1.0), keys in any order. */
  public static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!sameValue(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (java.util.Map.Entry<String, JsonNode> e : a.properties()) {
        JsonNode other = b.get(e.getKey());
        if (other == null || !sameValue(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** An integer as the narrowest node, as the parser would have read it. */
  public static JsonNode integer(long value) {
    return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
  }

  /**
   * The length of a value's compact JSON text ({@link #write}) in UTF-8 bytes, counted over the
   * tree without writing the text. Numbers other than int and long are written one by one.
   */
  public static int utf8Length(JsonNode value) {
    long n = length(value);
    return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
  }

  private static long length(JsonNode v) {
    switch (v.getNodeType()) {
      case OBJECT -> {
        long n = 2 + Math.max(0, v.size() - 1);
        for (Map.Entry<String, JsonNode> e : v.properties()) {
          n += stringLength(e.getKey()) + 1 + length(e.getValue());
        }
        return n;
      }
      case ARRAY -> {
        long n = 2 + Math.max(0, v.size() - 1);
        for (int i = 0, size = v.size(); i < size; i++) {
          n += length(v.get(i));
        }
        return n;
      }
      case STRING -> {
        return stringLength(v.textValue());
      }
      case BOOLEAN -> {
        return v.booleanValue() ? 4 : 5;
      }
      case NULL -> {
        return 4;
      }
      default -> {
        if (v instanceof IntNode i) {
          return stringSize(i.intValue());
        }
        if (v instanceof LongNode l) {
          return stringSize(l.longValue());
        }
        return write(v).getBytes(StandardCharsets.UTF_8).length;
      }
    }
  }

  private static int stringSize(long v) {
    return Long.toString(v).length();
  }

  /**
   * A string's length as Jackson writes it by default: quoted; a quote and a backslash escaped with
   * a backslash; backspace, tab, newline, form feed and carriage return as two-character escapes;
   * the other control characters as six-character unicode escapes; the rest in UTF-8 (an unpaired
   * surrogate becomes one replacement byte, as {@link String#getBytes} makes it).
   */
  private static long stringLength(String s) {
    long n = 2;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20) {
          n += c == '"' || c == '\\' ? 2 : 1;
        } else {
          n += c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ? 2 : 6;
        }
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** Writes a value as compact JSON text. */
  public static String write(JsonNode value) {
    // the common scalars, written as Jackson writes them, without a generator
    if (value instanceof IntNode i) {
      return Integer.toString(i.intValue());
    }
    if (value instanceof LongNode l) {
      return Long.toString(l.longValue());
    }
    if (value instanceof BigIntegerNode b) {
      return b.bigIntegerValue().toString();
    }
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JsonNode could not be written", e);
    }
  }
}
