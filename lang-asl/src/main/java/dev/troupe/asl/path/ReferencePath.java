package dev.troupe.asl.path;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A reference path, as ResultPath uses: {@code $} followed by {@code .name}, {@code ['name']} or
 * {@code [index]} steps, each naming exactly one node (no wildcards, filters, slices or deep scan).
 */
public record ReferencePath(List<Step> steps) {
  /** One step: a field name, or an array index. */
  public sealed interface Step {
    record Field(String name) implements Step {}

    record Index(int index) implements Step {}
  }

  /** The parsed path, or null when {@code text} is not a reference path. */
  public static @Nullable ReferencePath parse(String text) {
    if (!text.startsWith("$") || text.startsWith("$$")) {
      return null;
    }
    List<Step> steps = new ArrayList<>();
    int i = 1;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '.') {
        int start = ++i;
        while (i < n && text.charAt(i) != '.' && text.charAt(i) != '[') {
          i++;
        }
        String name = text.substring(start, i);
        if (name.isEmpty() || name.equals("*")) {
          return null;
        }
        steps.add(new Step.Field(name));
      } else if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          return null;
        }
        String inside = text.substring(i + 1, close).strip();
        if (inside.length() >= 2
            && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')
            && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
          steps.add(new Step.Field(inside.substring(1, inside.length() - 1)));
        } else if (inside.matches("\\d+")) {
          steps.add(new Step.Index(Integer.parseInt(inside)));
        } else {
          return null;
        }
        i = close + 1;
      } else {
        return null;
      }
    }
    return new ReferencePath(List.copyOf(steps));
  }
}
