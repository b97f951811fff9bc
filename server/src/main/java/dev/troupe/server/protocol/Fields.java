package dev.troupe.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the members of a request object the way AWS's protocol layer does: a member of the wrong
 * JSON type is a {@code SerializationException}; a missing required member is a {@code
 * ValidationException} worded as AWS words it. Unknown members are ignored.
 */
public final class Fields {
  private final ObjectNode body;

  public Fields(ObjectNode body) {
    this.body = body;
  }

  private @Nullable JsonNode member(String name) {
    JsonNode n = body.get(name);
    return n == null || n.isNull() ? null : n;
  }

  private static ApiError wrongType(String name, String expected, JsonNode got) {
    return ApiError.serialization(
        "Member '" + name + "' must be " + expected + ", got " + got.getNodeType());
  }

  public static ApiError missing(String name) {
    return ApiError.invalidField(
        "Value null at '" + name + "' failed to satisfy constraint: Member must not be null");
  }

  /** A member as it was sent (null when absent or null), for members kept as given. */
  public @Nullable JsonNode raw(String name) {
    return member(name);
  }

  public @Nullable String string(String name) {
    JsonNode n = member(name);
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      throw wrongType(name, "a string", n);
    }
    return n.asText();
  }

  public String requiredString(String name) {
    String s = string(name);
    if (s == null) {
      throw missing(name);
    }
    return s;
  }

  public @Nullable Integer integer(String name) {
    JsonNode n = member(name);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw wrongType(name, "an integer", n);
    }
    return n.asInt();
  }

  /** A Long member (an integral number of 64 bits at most). */
  public @Nullable Long longInteger(String name) {
    JsonNode n = member(name);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw wrongType(name, "an integer", n);
    }
    return n.asLong();
  }

  /** A Float or Double member (any JSON number). */
  public @Nullable Double number(String name) {
    JsonNode n = member(name);
    if (n == null) {
      return null;
    }
    if (!n.isNumber()) {
      throw wrongType(name, "a number", n);
    }
    return n.asDouble();
  }

  public boolean bool(String name, boolean absent) {
    JsonNode n = member(name);
    if (n == null) {
      return absent;
    }
    if (!n.isBoolean()) {
      throw wrongType(name, "a boolean", n);
    }
    return n.asBoolean();
  }

  public @Nullable ObjectNode object(String name) {
    JsonNode n = member(name);
    if (n == null) {
      return null;
    }
    if (!(n instanceof ObjectNode o)) {
      throw wrongType(name, "an object", n);
    }
    return o;
  }

  /** A list member of objects; null when absent. */
  public @Nullable List<Fields> objects(String name) {
    JsonNode n = member(name);
    if (n == null) {
      return null;
    }
    if (!n.isArray()) {
      throw wrongType(name, "a list", n);
    }
    List<Fields> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!(e instanceof ObjectNode o)) {
        throw wrongType(name + " element", "an object", e);
      }
      out.add(new Fields(o));
    }
    return out;
  }

  /** A list member of strings; null when absent. */
  public @Nullable List<String> strings(String name) {
    JsonNode n = member(name);
    if (n == null) {
      return null;
    }
    if (!n.isArray()) {
      throw wrongType(name, "a list", n);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw wrongType(name + " element", "a string", e);
      }
      out.add(e.asText());
    }
    return out;
  }
}
