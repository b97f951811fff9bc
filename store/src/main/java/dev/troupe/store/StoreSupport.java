package dev.troupe.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.kernel.HistoryEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What every adapter does the same way: checking requests against the limits, the idempotent-name
 * rule, page sizes, paging tokens and the JSON of event details. Adapters call it; callers of the
 * store need not.
 */
public final class StoreSupport {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final int DEFAULT_PAGE = 100;
  public static final int MAX_PAGE = 1000;

  private StoreSupport() {}

  /** Instants are stored to the millisecond. */
  public static Instant ms(Instant t) {
    return Instant.ofEpochMilli(t.toEpochMilli());
  }

  public static @Nullable Instant ms(@Nullable Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
  }

  /** The page size of a request: 0 means the default; otherwise 1..1000. */
  public static int pageSize(int maxResults) {
    if (maxResults == 0) {
      return DEFAULT_PAGE;
    }
    if (maxResults < 0 || maxResults > MAX_PAGE) {
      throw new StoreException(
          "ValidationException",
          "maxResults must be between 0 and " + MAX_PAGE + ", got " + maxResults);
    }
    return maxResults;
  }

  /** Checks the size of a page of open executions: 1 to 1000. */
  public static int openPageSize(int max) {
    if (max < 1 || max > MAX_PAGE) {
      throw new StoreException(
          "ValidationException", "max must be between 1 and " + MAX_PAGE + ", got " + max);
    }
    return max;
  }

  /** Checks the size of a claim or a listing of due timers (at least 1) and a lease (positive). */
  public static void checkClaim(int max, java.time.@Nullable Duration lease) {
    if (max < 1) {
      throw new StoreException("ValidationException", "max must be at least 1, got " + max);
    }
    if (lease != null && (lease.isNegative() || lease.isZero())) {
      throw new StoreException("ValidationException", "a lease must be positive, got " + lease);
    }
  }

  /**
   * Checks a new execution against the limits; throws {@code InvalidName} or a validation error.
   */
  public static void check(NewExecution e, StoreLimits limits) {
    if (e.name().isEmpty() || e.name().length() > limits.maxNameLength()) {
      throw new StoreException(
          "InvalidName",
          "execution name must be 1 to "
              + limits.maxNameLength()
              + " characters, got "
              + e.name().length());
    }
    if (e.executionId().isEmpty() || e.stateMachineId().isEmpty()) {
      throw new StoreException(
          "ValidationException", "executionId and stateMachineId must not be empty");
    }
    checkSize("input", e.input(), limits.maxPayloadBytes());
    if (e.snapshot().length > limits.maxSnapshotBytes()) {
      throw tooLarge("snapshot", e.snapshot().length, limits.maxSnapshotBytes());
    }
  }

  /**
   * Checks the start of an EXPRESS execution against the limits, as {@link #check(NewExecution,
   * StoreLimits)}.
   */
  public static void check(ExpressStart e, StoreLimits limits) {
    if (e.name().isEmpty() || e.name().length() > limits.maxNameLength()) {
      throw new StoreException(
          "InvalidName",
          "execution name must be 1 to "
              + limits.maxNameLength()
              + " characters, got "
              + e.name().length());
    }
    if (e.executionId().isEmpty() || e.stateMachineId().isEmpty()) {
      throw new StoreException(
          "ValidationException", "executionId and stateMachineId must not be empty");
    }
    checkSize("input", e.input(), limits.maxPayloadBytes());
  }

  /** Checks the end of an EXPRESS execution: a closed status, values within the limits. */
  public static void checkEnd(StatusChange end, StoreLimits limits) {
    if (end.status() == ExecutionStatus.RUNNING || end.stopDate() == null) {
      throw new StoreException(
          "ValidationException",
          "an execution's end needs a closed status and a stop date, got " + end.status());
    }
    checkSize("output", end.output(), limits.maxPayloadBytes());
    checkLength("error", end.error(), limits.maxErrorLength());
    checkLength("cause", end.cause(), limits.maxCauseLength());
  }

  /** The idempotent-name rule of StartExecution, for a name already taken by {@code existing}. */
  public static CreateResult nameTaken(NewExecution wanted, ExecutionRecord existing) {
    boolean same =
        existing.status() == ExecutionStatus.RUNNING
            && existing.stateMachineId().equals(wanted.stateMachineId())
            && existing.name().equals(wanted.name())
            && existing.input().equals(wanted.input())
            && existing.type() == wanted.type();
    return same ? new CreateResult.Existing(existing) : new CreateResult.AlreadyExists(existing);
  }

  /**
   * Checks a commit against the execution's last event id and the limits; null when it is valid,
   * else the rejection.
   */
  public static CommitResult.@Nullable Rejected check(
      Commit c, long lastEventId, StoreLimits limits) {
    try {
      long expected = lastEventId + 1;
      for (HistoryEvent ev : c.events()) {
        if (ev.id() != expected) {
          throw new StoreException(
              "ValidationException",
              "event ids must continue the history: expected id " + expected + ", got " + ev.id());
        }
        if (ev.previousEventId() < 0 || ev.previousEventId() >= ev.id()) {
          throw new StoreException(
              "ValidationException",
              "event " + ev.id() + " has previousEventId " + ev.previousEventId());
        }
        checkSize("details of event " + ev.id(), json(ev.details()), limits.maxEventDetailsBytes());
        expected++;
      }
      if (c.snapshot().length > limits.maxSnapshotBytes()) {
        throw tooLarge("snapshot", c.snapshot().length, limits.maxSnapshotBytes());
      }
      StatusChange s = c.status();
      if (s != null) {
        checkSize("output", s.output(), limits.maxPayloadBytes());
        checkLength("error", s.error(), limits.maxErrorLength());
        checkLength("cause", s.cause(), limits.maxCauseLength());
      }
      for (EffectKey done : c.outboxDone()) {
        if (!done.executionId().equals(c.executionId())) {
          throw new StoreException(
              "ValidationException",
              "outbox entry " + done + " to remove belongs to another execution");
        }
      }
      Set<EffectKey> keys = new HashSet<>();
      for (OutboxEntry o : c.outbox()) {
        if (!o.key().executionId().equals(c.executionId())) {
          throw new StoreException(
              "ValidationException", "outbox entry " + o.key() + " belongs to another execution");
        }
        if (!keys.add(o.key())) {
          throw new StoreException("ValidationException", "outbox key " + o.key() + " used twice");
        }
        checkSize("outbox payload " + o.key(), o.payload(), limits.maxSnapshotBytes());
      }
      Set<String> timerKeys = new HashSet<>();
      for (Timer t : c.timersPut()) {
        if (!t.executionId().equals(c.executionId())) {
          throw new StoreException(
              "ValidationException", "timer " + t.key() + " belongs to another execution");
        }
        if (!timerKeys.add(t.key())) {
          throw new StoreException("ValidationException", "timer key " + t.key() + " used twice");
        }
        checkSize("timer payload " + t.key(), t.payload(), limits.maxPayloadBytes());
      }
      Set<String> tokens = new HashSet<>();
      for (TaskToken t : c.tokensPut()) {
        if (!t.executionId().equals(c.executionId())) {
          throw new StoreException(
              "ValidationException", "a task token belongs to another execution");
        }
        if (!tokens.add(t.token())) {
          throw new StoreException("ValidationException", "a task token is put twice");
        }
        checkLength("task token", t.token(), 1024);
      }
      return null;
    } catch (StoreException e) {
      return new CommitResult.Rejected(c.executionId(), e.code(), e.detail());
    }
  }

  /**
   * Checks the execution a commit creates ({@link Commit#creating}): its own, at version 0, within
   * the limits; null when it is valid or the commit creates nothing, else the rejection.
   */
  public static CommitResult.@Nullable Rejected checkCreating(Commit c, StoreLimits limits) {
    NewExecution e = c.creates();
    if (e == null) {
      return null;
    }
    try {
      if (!e.executionId().equals(c.executionId())) {
        throw new StoreException(
            "ValidationException",
            "a commit of " + c.executionId() + " cannot create " + e.executionId());
      }
      if (c.expectedVersion() != 0) {
        throw new StoreException(
            "ValidationException",
            "a commit that creates its execution expects version 0, not " + c.expectedVersion());
      }
      check(e, limits);
      return null;
    } catch (StoreException x) {
      return new CommitResult.Rejected(c.executionId(), x.code(), x.detail());
    }
  }

  /** The refusal of a commit that would create an execution whose name or id is taken. */
  public static CommitResult.Rejected alreadyExists(Commit c) {
    return new CommitResult.Rejected(
        c.executionId(),
        "ExecutionAlreadyExists",
        "Execution Already Exists: '" + c.executionId() + "'");
  }

  private static void checkSize(String what, @Nullable String value, int max) {
    if (value != null) {
      int bytes = value.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > max) {
        throw tooLarge(what, bytes, max);
      }
    }
  }

  private static void checkLength(String what, @Nullable String value, int max) {
    if (value != null && value.length() > max) {
      throw new StoreException(
          "ValidationException",
          what + " is " + value.length() + " characters, at most " + max + " are allowed");
    }
  }

  private static StoreException tooLarge(String what, int bytes, int max) {
    return new StoreException(
        "States.DataLimitExceeded",
        what + " is " + bytes + " bytes, more than the limit of " + max + " bytes");
  }

  // ---- definition revisions

  /** The largest definition text kept (Step Functions' limit for a definition: 1 MiB). */
  public static final int MAX_DEFINITION_BYTES = 1024 * 1024;

  /** A definition revision's hash: the SHA-256 of the text's UTF-8 bytes, as lowercase hex. */
  public static String definitionHash(String definition) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(definition.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no SHA-256", e);
    }
  }

  /** Refuses a definition text too large to keep. */
  public static void checkDefinition(String definition) {
    checkSize("the definition", definition, MAX_DEFINITION_BYTES);
  }

  /** The refusal of an execution that names a revision the store does not keep. */
  public static StoreException noSuchRevision(String hash) {
    return new StoreException(
        "ValidationException",
        "no definition revision with hash '" + hash + "' is stored; store it first");
  }

  // ---- event details

  public static String json(ObjectNode details) {
    try {
      return JSON.writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write event details", e);
    }
  }

  public static ObjectNode details(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node instanceof ObjectNode o) {
        return o;
      }
      throw new IllegalStateException("stored event details are not an object: " + json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored event details are not JSON", e);
    }
  }

  /**
   * A copy of an event as a store gives it back: timestamp to the millisecond, details as read back
   * from their JSON text (a copy, with the number types JSON reading gives).
   */
  public static HistoryEvent stored(HistoryEvent e) {
    return new HistoryEvent(
        e.id(), e.previousEventId(), ms(e.timestamp()), e.type(), details(json(e.details())));
  }

  // ---- paging tokens: opaque to callers, tied to what they page

  /** The cursor of a history page: the last event id returned. */
  public static String historyToken(String executionId, boolean reverse, long lastEventId) {
    ObjectNode t = JSON.createObjectNode();
    t.put("k", "history").put("e", executionId).put("r", reverse).put("after", lastEventId);
    return encode(t);
  }

  /** The event id a history token continues after; 0 (forward) or MAX (reverse) with no token. */
  public static long historyCursor(String executionId, boolean reverse, @Nullable String token) {
    if (token == null) {
      return reverse ? Long.MAX_VALUE : 0;
    }
    ObjectNode t = decode(token);
    if (!"history".equals(t.path("k").asText())
        || !executionId.equals(t.path("e").asText())
        || t.path("r").asBoolean() != reverse
        || !t.path("after").canConvertToLong()) {
      throw invalidToken();
    }
    return t.path("after").asLong();
  }

  /**
   * A listing page from the first {@code size + 1} matching executions, newest first: the extra one
   * only says whether a next page exists, and the page's last execution is its cursor.
   */
  public static ExecutionPage listPage(
      List<ExecutionRecord> rows,
      int size,
      String stateMachineId,
      @Nullable ExecutionStatus filter,
      @Nullable RedriveFilter redriveFilter) {
    if (rows.size() <= size) {
      return new ExecutionPage(rows, null);
    }
    List<ExecutionRecord> page = rows.subList(0, size);
    ExecutionRecord last = page.get(size - 1);
    return new ExecutionPage(
        page,
        listToken(
            stateMachineId,
            filter,
            redriveFilter,
            last.startDate().toEpochMilli(),
            last.executionId()));
  }

  /** The cursor of a listing page: the last execution returned (start date, id). */
  public static String listToken(
      String stateMachineId,
      @Nullable ExecutionStatus filter,
      @Nullable RedriveFilter redriveFilter,
      long startMs,
      String executionId) {
    ObjectNode t = JSON.createObjectNode();
    t.put("k", "list")
        .put("m", stateMachineId)
        .put("s", filter == null ? "" : filter.name())
        .put("r", redriveFilter == null ? "" : redriveFilter.name())
        .put("t", startMs)
        .put("e", executionId);
    return encode(t);
  }

  /** A decoded listing cursor: continue with executions older than (startMs, executionId). */
  public record ListCursor(long startMs, String executionId) {}

  public static @Nullable ListCursor listCursor(
      String stateMachineId,
      @Nullable ExecutionStatus filter,
      @Nullable RedriveFilter redriveFilter,
      @Nullable String token) {
    if (token == null) {
      return null;
    }
    ObjectNode t = decode(token);
    if (!"list".equals(t.path("k").asText())
        || !stateMachineId.equals(t.path("m").asText())
        || !(filter == null ? "" : filter.name()).equals(t.path("s").asText())
        || !(redriveFilter == null ? "" : redriveFilter.name()).equals(t.path("r").asText())
        || !t.path("t").canConvertToLong()
        || !t.path("e").isTextual()) {
      throw invalidToken();
    }
    return new ListCursor(t.path("t").asLong(), t.path("e").asText());
  }

  private static String encode(ObjectNode t) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json(t).getBytes(UTF8));
  }

  private static ObjectNode decode(String token) {
    try {
      JsonNode n = JSON.readTree(new String(Base64.getUrlDecoder().decode(token), UTF8));
      if (n instanceof ObjectNode o) {
        return o;
      }
    } catch (IllegalArgumentException | JsonProcessingException e) {
      throw invalidToken();
    }
    throw invalidToken();
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static StoreException invalidToken() {
    return new StoreException(
        "InvalidToken", "Invalid Token: the nextToken was not issued for this request");
  }
}
