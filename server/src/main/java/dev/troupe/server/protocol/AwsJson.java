package dev.troupe.server.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The AWS JSON 1.0 protocol: a POST to {@code /} whose {@code X-Amz-Target} names the operation
 * ({@code AWSStepFunctions.StartExecution}) and whose body is a JSON object; the answer is a JSON
 * object, or an error {@code {"__type", "message"}}. Timestamps are epoch seconds with a fraction.
 */
public final class AwsJson {
  private AwsJson() {}

  public static final String CONTENT_TYPE = "application/x-amz-json-1.0";

  /** The request body as an object; an empty body is the empty object. */
  public static ObjectNode parseBody(byte[] body) {
    if (body.length == 0) {
      return Json.NODES.objectNode();
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.serialization("The request body is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiError.serialization("The request body could not be read: " + e.getMessage());
    }
    if (node instanceof ObjectNode o) {
      return o;
    }
    throw ApiError.serialization(
        "The request body must be a JSON object, got "
            + (node == null ? "nothing" : node.getNodeType()));
  }

  public static byte[] write(JsonNode response) {
    return Json.write(response).getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] error(ApiError error) {
    ObjectNode o = Json.NODES.objectNode();
    o.put("__type", error.type());
    if (error.getMessage() != null) {
      o.put("message", error.getMessage());
    }
    return write(o);
  }

  /** An instant as AWS JSON writes it: epoch seconds, milliseconds as the fraction. */
  public static BigDecimal timestamp(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
  }
}
