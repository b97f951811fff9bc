package dev.troupe.server.sqs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * One message attribute: its data type ({@code String}, {@code Number} or {@code Binary},
 * optionally followed by {@code .} and a custom label) and its value, text or bytes.
 */
record MessageAttribute(String dataType, @Nullable String string, byte @Nullable [] binary) {
  boolean isBinary() {
    return dataType.startsWith("Binary");
  }

  String stringValue() {
    return string == null ? "" : string;
  }

  byte[] binaryValue() {
    return binary == null ? new byte[0] : binary;
  }

  /** Its size as SQS counts it against the message size: type and value bytes. */
  long size() {
    return dataType.getBytes(StandardCharsets.UTF_8).length
        + (isBinary()
            ? binaryValue().length
            : stringValue().getBytes(StandardCharsets.UTF_8).length);
  }

  /** The wire shape ({@code DataType} and {@code StringValue} or base64 {@code BinaryValue}). */
  ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    if (isBinary()) {
      o.put("BinaryValue", Base64.getEncoder().encodeToString(binaryValue()));
    } else {
      o.put("StringValue", stringValue());
    }
    o.put("DataType", dataType);
    return o;
  }

  static MessageAttribute fromJson(ObjectNode o) {
    String type = o.path("DataType").asText();
    if (type.startsWith("Binary")) {
      return new MessageAttribute(
          type, null, Base64.getDecoder().decode(o.path("BinaryValue").asText()));
    }
    return new MessageAttribute(type, o.path("StringValue").asText(), null);
  }
}
