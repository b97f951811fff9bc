package dev.troupe.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The JSON paths of InputPath and InputPathsMap, as far as EventBridge supports them: {@code $},
 * dot notation ({@code $.detail.state}, names with dashes, underscores, slashes), bracketed names
 * ({@code $['detail-type']}), array indices ({@code $.resources[0]}) and wildcards ({@code
 * $.detail.items[*].id}, {@code $.detail.*}). A path with a wildcard selects the array of what it
 * reaches.
 */
public final class EventPath {
  private sealed interface Step permits Name, Index, Wildcard {}

  private record Name(String name) implements Step {}

  private record Index(int index) implements Step {}

  private record Wildcard() implements Step {}

  private final String text;
  private final List<Step> steps;
  private final boolean definite;

  private EventPath(String text, List<Step> steps) {
    this.text = text;
    this.steps = List.copyOf(steps);
    this.definite = steps.stream().noneMatch(s -> s instanceof Wildcard);
  }

  /** The path, or empty when {@code text} is not one EventBridge accepts. */
  public static Optional<EventPath> parse(String text) {
    if (!text.startsWith("$")) {
      return Optional.empty();
    }
    List<Step> steps = new ArrayList<>();
    int i = 1;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '.') {
        i++;
        if (i < n && text.charAt(i) == '*') {
          steps.add(new Wildcard());
          i++;
          continue;
        }
        int start = i;
        while (i < n && text.charAt(i) != '.' && text.charAt(i) != '[') {
          i++;
        }
        if (i == start) {
          return Optional.empty();
        }
        steps.add(new Name(text.substring(start, i)));
      } else if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          return Optional.empty();
        }
        String inside = text.substring(i + 1, close).strip();
        i = close + 1;
        if (inside.equals("*")) {
          steps.add(new Wildcard());
        } else if (inside.length() >= 2
            && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')
            && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
          steps.add(new Name(inside.substring(1, inside.length() - 1)));
        } else if (!inside.isEmpty() && inside.chars().allMatch(Character::isDigit)) {
          try {
            steps.add(new Index(Integer.parseInt(inside)));
          } catch (NumberFormatException e) {
            return Optional.empty();
          }
        } else {
          return Optional.empty();
        }
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(new EventPath(text, steps));
  }

  /** What the path selects in {@code root}, or empty when it reaches nothing. */
  public Optional<JsonNode> select(JsonNode root) {
    List<JsonNode> found = new ArrayList<>();
    walk(root, 0, found);
    if (definite) {
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
    ArrayNode all = BusJson.NODES.arrayNode();
    found.forEach(all::add);
    return Optional.of(all);
  }

  private void walk(@Nullable JsonNode node, int at, List<JsonNode> found) {
    if (node == null || node.isMissingNode()) {
      return;
    }
    if (at == steps.size()) {
      found.add(node);
      return;
    }
    Step step = steps.get(at);
    switch (step) {
      case Name(String name) -> {
        if (node.isObject()) {
          walk(node.get(name), at + 1, found);
        }
      }
      case Index(int index) -> {
        if (node.isArray()) {
          walk(node.get(index), at + 1, found);
        }
      }
      case Wildcard() -> {
        if (node.isArray() || node.isObject()) {
          for (JsonNode child : node) {
            walk(child, at + 1, found);
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
