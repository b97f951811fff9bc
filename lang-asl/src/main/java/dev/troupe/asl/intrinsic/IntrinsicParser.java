package dev.troupe.asl.intrinsic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Parses intrinsic function calls such as {@code States.Format('{}', $.a)}. */
final class IntrinsicParser {
  private final String text;
  private int pos;

  private IntrinsicParser(String text) {
    this.text = text;
  }

  /** Parses a whole expression; throws {@link IntrinsicSyntaxException} saying what is wrong. */
  static IntrinsicExpr.Call parse(String text) {
    IntrinsicParser p = new IntrinsicParser(text);
    p.skipSpace();
    IntrinsicExpr.Call call = p.call();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the closing parenthesis");
    }
    return call;
  }

  private IntrinsicExpr.Call call() {
    int start = pos;
    while (pos < text.length()
        && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
      pos++;
    }
    String name = text.substring(start, pos);
    if (!name.startsWith("States.")) {
      throw error("an intrinsic function name starts with 'States.'");
    }
    if (!Functions.known(name)) {
      throw error("unknown intrinsic function " + name);
    }
    skipSpace();
    expect('(');
    List<IntrinsicExpr> args = new ArrayList<>();
    skipSpace();
    if (peek() == ')') {
      pos++;
    } else {
      while (true) {
        skipSpace();
        args.add(argument());
        skipSpace();
        char c = peek();
        if (c == ',') {
          pos++;
        } else if (c == ')') {
          pos++;
          break;
        } else {
          throw error("expected ',' or ')'");
        }
      }
    }
    Functions.checkArity(name, args.size());
    return new IntrinsicExpr.Call(name, List.copyOf(args));
  }

  private IntrinsicExpr argument() {
    char c = peek();
    if (c == '\'') {
      return string();
    }
    if (c == '$') {
      return path();
    }
    if (c == '-' || Character.isDigit(c)) {
      return number();
    }
    if (text.startsWith("States.", pos)) {
      return call();
    }
    for (String word : new String[] {"true", "false", "null"}) {
      if (text.startsWith(word, pos)) {
        pos += word.length();
        JsonNode v =
            switch (word) {
              case "true" -> Json.NODES.booleanNode(true);
              case "false" -> Json.NODES.booleanNode(false);
              default -> Json.NODES.nullNode();
            };
        return new IntrinsicExpr.Literal(v);
      }
    }
    throw error("expected an argument");
  }

  private IntrinsicExpr.Text string() {
    expect('\'');
    StringBuilder raw = new StringBuilder();
    StringBuilder value = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '\\') {
        if (pos >= text.length()) {
          break;
        }
        char n = text.charAt(pos++);
        if (n != '\'' && n != '{' && n != '}' && n != '\\') {
          throw error("invalid escape sequence \\" + n + " in a string literal");
        }
        raw.append('\\').append(n);
        value.append(n);
      } else if (c == '\'') {
        return new IntrinsicExpr.Text(raw.toString(), value.toString());
      } else {
        raw.append(c);
        value.append(c);
      }
    }
    throw error("unterminated string literal");
  }

  private IntrinsicExpr.Path path() {
    int start = pos;
    int depth = 0;
    char quote = 0;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (quote != 0) {
        if (c == '\\') {
          pos++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[' || c == '(') {
        depth++;
      } else if (c == ']' || c == ')') {
        if (depth == 0) {
          break;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        break;
      }
      pos++;
    }
    String p = text.substring(start, pos).strip();
    if (p.isEmpty()) {
      throw error("empty path");
    }
    return new IntrinsicExpr.Path(p);
  }

  private IntrinsicExpr.Literal number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    while (pos < text.length()
        && (Character.isDigit(text.charAt(pos)) || "eE+-.".indexOf(text.charAt(pos)) >= 0)) {
      pos++;
    }
    String n = text.substring(start, pos);
    try {
      BigDecimal d = new BigDecimal(n);
      JsonNode v =
          n.contains(".") || n.contains("e") || n.contains("E")
              ? Json.NODES.numberNode(d)
              : Json.NODES.numberNode(d.toBigIntegerExact());
      return new IntrinsicExpr.Literal(v);
    } catch (NumberFormatException | ArithmeticException e) {
      throw error("invalid number " + n);
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IntrinsicSyntaxException error(String what) {
    return new IntrinsicSyntaxException(what + " at position " + pos + " of '" + text + "'");
  }

  /** A malformed intrinsic call. */
  static final class IntrinsicSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IntrinsicSyntaxException(String message) {
      super(message, null, false, false);
    }
  }
}
