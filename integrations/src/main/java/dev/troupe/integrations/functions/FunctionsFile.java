package dev.troupe.integrations.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the functions configuration file ({@code troupe server --functions FILE}): a JSON object
 * whose {@code functions} array lists each function as
 *
 * <pre>
 * {"name": "greet", "url": "http://127.0.0.1:9000/greet", "headers": {...}, "timeoutSeconds": 3}
 * {"name": "resize", "command": ["python3", "resize.py"], "workingDirectory": "fns",
 *  "environment": {"LEVEL": "debug"}, "timeoutSeconds": 30}
 * </pre>
 *
 * Exactly one of {@code url} and {@code command}; {@code timeoutSeconds} 1 to 900, 3 by default; a
 * relative {@code workingDirectory} is relative to the file's folder, which is also the default.
 * Every mistake is reported at once, each with its JSON pointer.
 */
public final class FunctionsFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KEYS =
      Set.of(
          "name", "url", "headers", "command", "workingDirectory", "environment", "timeoutSeconds");

  private FunctionsFile() {}

  /** A functions file that cannot be used, with every mistake found in it. */
  public static final class InvalidFunctionsFile extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidFunctionsFile(String message) {
      super(message);
    }
  }

  public static List<FunctionDefinition> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidFunctionsFile("cannot read the functions file " + file + ": " + e);
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, base == null ? Path.of("").toAbsolutePath() : base, file.toString());
  }

  /** Parses {@code text}; relative working directories are resolved against {@code base}. */
  public static List<FunctionDefinition> parse(String text, Path base, String where) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidFunctionsFile(
          where + ": not JSON: " + e.getOriginalMessage() + " at " + e.getLocation());
    }
    List<String> errors = new ArrayList<>();
    List<FunctionDefinition> out = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new InvalidFunctionsFile(where + ": expected a JSON object with a 'functions' array");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("functions")) {
        errors.add("/" + k + ": unknown member (expected 'functions')");
      }
    }
    JsonNode fns = root.get("functions");
    if (fns == null || !fns.isArray()) {
      errors.add("/functions: expected an array of functions");
    } else {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < fns.size(); i++) {
        String at = "/functions/" + i;
        FunctionDefinition f = one(fns.get(i), at, base, errors);
        if (f != null && !names.add(f.name())) {
          errors.add(at + "/name: the function '" + f.name() + "' is defined twice");
        } else if (f != null) {
          out.add(f);
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidFunctionsFile(where + ": " + String.join("; ", errors));
    }
    return List.copyOf(out);
  }

  /**
   * One function registered through the API: {@code definition} is an entry of the file without its
   * name (HTTP endpoints only: a command runs on the server's machine, so only its operator
   * registers one, in the file). Every mistake is reported at once.
   */
  public static FunctionDefinition endpoint(String name, JsonNode definition) {
    List<String> errors = new ArrayList<>();
    if (!definition.isObject()) {
      throw new InvalidFunctionsFile("the definition must be a JSON object");
    }
    if (definition.has("name")) {
      errors.add("/name: the name is in the path, not in the definition");
    }
    if (!definition.has("url")) {
      errors.add(
          "/url: missing (functions registered through the API are HTTP endpoints; commands are"
              + " registered in the server's --functions file)");
    }
    if (errors.isEmpty()) {
      com.fasterxml.jackson.databind.node.ObjectNode withName =
          ((com.fasterxml.jackson.databind.node.ObjectNode) definition).deepCopy();
      withName.put("name", name);
      FunctionDefinition f = one(withName, "", Path.of("").toAbsolutePath(), errors);
      if (f != null && errors.isEmpty()) {
        return f;
      }
    }
    throw new InvalidFunctionsFile(String.join("; ", errors));
  }

  private static @org.jspecify.annotations.Nullable FunctionDefinition one(
      JsonNode f, String at, Path base, List<String> errors) {
    if (!f.isObject()) {
      errors.add(at + ": expected an object");
      return null;
    }
    int before = errors.size();
    for (Iterator<String> it = f.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        errors.add(at + "/" + k + ": unknown member (expected one of " + KEYS + ")");
      }
    }
    String name = text(f, "name", at, errors, true);
    String url = text(f, "url", at, errors, false);
    JsonNode command = f.get("command");
    Duration timeout = FunctionDefinition.DEFAULT_TIMEOUT;
    JsonNode t = f.get("timeoutSeconds");
    if (t != null) {
      if (!t.canConvertToInt() || !t.isIntegralNumber() || t.asInt() < 1 || t.asInt() > 900) {
        errors.add(at + "/timeoutSeconds: expected an integer from 1 to 900, got " + t);
      } else {
        timeout = Duration.ofSeconds(t.asInt());
      }
    }
    if (name != null && !FunctionDefinition.NAME.matcher(name).matches()) {
      errors.add(
          at + "/name: a function name is 1 to 64 letters, digits, '-' or '_', got '" + name + "'");
    }
    FunctionDefinition.Runs runs = null;
    if ((url == null) == (command == null)) {
      errors.add(at + ": give exactly one of 'url' (an HTTP endpoint) and 'command' (a program)");
    } else if (url != null) {
      if (f.has("workingDirectory") || f.has("environment")) {
        errors.add(at + ": 'workingDirectory' and 'environment' are for commands, not urls");
      }
      Map<String, String> headers = strings(f, "headers", at, errors);
      try {
        URI u = new URI(url);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())
            || u.getHost() == null) {
          errors.add(at + "/url: expected an absolute http or https URL, got '" + url + "'");
        } else {
          runs = new FunctionDefinition.Endpoint(u, headers);
        }
      } catch (URISyntaxException e) {
        errors.add(at + "/url: not a URL: " + e.getMessage());
      }
    } else if (command != null) {
      if (f.has("headers")) {
        errors.add(at + "/headers: 'headers' are for urls, not commands");
      }
      List<String> argv = new ArrayList<>();
      if (!command.isArray() || command.isEmpty()) {
        errors.add(at + "/command: expected a non-empty array of strings (program, arguments)");
      } else {
        for (int i = 0; i < command.size(); i++) {
          if (!command.get(i).isTextual()) {
            errors.add(at + "/command/" + i + ": expected a string, got " + command.get(i));
          } else {
            argv.add(command.get(i).asText());
          }
        }
      }
      String dir = text(f, "workingDirectory", at, errors, false);
      Path directory = dir == null ? base : base.resolve(dir).normalize();
      if (!Files.isDirectory(directory)) {
        errors.add(at + "/workingDirectory: not a directory: " + directory);
      }
      Map<String, String> env = strings(f, "environment", at, errors);
      if (errors.size() == before) {
        runs = new FunctionDefinition.Command(argv, directory, env);
      }
    }
    if (errors.size() > before || runs == null || name == null) {
      return null;
    }
    return new FunctionDefinition(name, runs, timeout);
  }

  private static @org.jspecify.annotations.Nullable String text(
      JsonNode f, String key, String at, List<String> errors, boolean required) {
    JsonNode v = f.get(key);
    if (v == null) {
      if (required) {
        errors.add(at + "/" + key + ": missing");
      }
      return null;
    }
    if (!v.isTextual()) {
      errors.add(at + "/" + key + ": expected a string, got " + v);
      return null;
    }
    return v.asText();
  }

  private static Map<String, String> strings(
      JsonNode f, String key, String at, List<String> errors) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode v = f.get(key);
    if (v == null) {
      return out;
    }
    if (!v.isObject()) {
      errors.add(at + "/" + key + ": expected an object of strings");
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        errors.add(at + "/" + key + "/" + e.getKey() + ": expected a string, got " + e.getValue());
      } else {
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return out;
  }
}
