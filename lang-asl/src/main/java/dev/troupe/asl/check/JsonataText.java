package dev.troupe.asl.check;

import java.util.regex.Pattern;

/** Reads JSONata expression text for the checker without evaluating it. */
final class JsonataText {
  private JsonataText() {}

  /**
   * The expression with its string literals, quoted names and comments blanked out, so that a
   * search finds only code: {@code '$eval'} in a string is not a call of {@code $eval}.
   */
  static String code(String expression) {
    StringBuilder out = new StringBuilder(expression.length());
    int i = 0;
    int n = expression.length();
    while (i < n) {
      char c = expression.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        out.append(' ');
        i++;
        while (i < n && expression.charAt(i) != c) {
          i += expression.charAt(i) == '\\' && c != '`' ? 2 : 1;
          out.append(' ');
        }
        i++;
        out.append(' ');
      } else if (c == '/' && i + 1 < n && expression.charAt(i + 1) == '*') {
        int end = expression.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        out.append(" ".repeat(end - i));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Whether code (from {@link #code}) has {@code token} (a regex) as a whole name. */
  static boolean uses(String code, String token) {
    return Pattern.compile(token + "(?![A-Za-z0-9_])").matcher(code).find();
  }
}
