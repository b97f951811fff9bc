package dev.troupe.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What every adapter of {@link StateMachineCatalog} does alike: checks, tokens, tag encoding. */
public final class CatalogSupport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN_PREFIX = "state-machines:";

  /** Step Functions' largest definition: 1 MiB of UTF-8. */
  public static final int MAX_DEFINITION_BYTES = 1024 * 1024;

  private CatalogSupport() {}

  /** Checks what is stored before anything is written. */
  public static void check(StateMachineRecord machine) {
    int bytes = machine.definition().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_DEFINITION_BYTES) {
      throw new StoreException(
          "ValidationException",
          "the definition is " + bytes + " bytes, more than " + MAX_DEFINITION_BYTES);
    }
  }

  /** The listing page from the first {@code size + 1} machines after the cursor, in ARN order. */
  public static StateMachinePage page(List<StateMachineRecord> rows, int size) {
    if (rows.size() <= size) {
      return new StateMachinePage(rows, null);
    }
    List<StateMachineRecord> page = rows.subList(0, size);
    String last = page.get(size - 1).arn();
    return new StateMachinePage(
        page,
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString((TOKEN_PREFIX + last).getBytes(StandardCharsets.UTF_8)));
  }

  /** The last ARN of the previous page, or null for the first page. */
  public static @Nullable String after(@Nullable String nextToken) {
    if (nextToken == null) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalidToken();
    }
    if (!decoded.startsWith(TOKEN_PREFIX) || decoded.length() == TOKEN_PREFIX.length()) {
      throw invalidToken();
    }
    return decoded.substring(TOKEN_PREFIX.length());
  }

  private static StoreException invalidToken() {
    return new StoreException(
        "InvalidToken", "Invalid Token: the nextToken was not issued for this request");
  }

  public static String tagsJson(Map<String, String> tags) {
    try {
      return JSON.writeValueAsString(tags);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, String> tags(String json) {
    try {
      return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new StoreException("StoreFailure", "stored tags are not JSON: " + e.getMessage(), e);
    }
  }
}
