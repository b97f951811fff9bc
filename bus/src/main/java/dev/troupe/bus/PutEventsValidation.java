package dev.troupe.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * PutEvents as EventBridge checks it: the whole request (at least 1 and at most 10 entries, the
 * entries' total size at most 1 MiB, measured as EventBridge measures it) and then each entry
 * (Source, DetailType and Detail required, Detail a JSON object, no {@code aws.} sources), each
 * failed entry with its {@code ErrorCode} and {@code ErrorMessage}; and the event envelope built
 * from an accepted entry with the id, time, account and region the caller gives.
 */
public final class PutEventsValidation {
  private PutEventsValidation() {}

  /** At most this many entries in one request. */
  public static final int MAX_ENTRIES = 10;

  /** The largest total size of a request's entries, in bytes (see {@link #entrySize}). */
  public static final long MAX_REQUEST_BYTES = 1_048_576;

  /** What {@code Time} counts towards an entry's size, whatever its value. */
  public static final int TIME_BYTES = 14;

  /**
   * One {@code PutEventsRequestEntry} as sent; absent members are null.
   *
   * @param time {@code Time}, or null for the time the event is received
   */
  public record Entry(
      @Nullable String source,
      @Nullable String detailType,
      @Nullable String detail,
      @Nullable List<String> resources,
      @Nullable Instant time,
      @Nullable String eventBusName,
      @Nullable String traceHeader) {
    public Entry {
      resources = resources == null ? null : List.copyOf(resources);
    }

    /** An entry with Source, DetailType and Detail only. */
    public static Entry of(String source, String detailType, String detail) {
      return new Entry(source, detailType, detail, null, null, null, null);
    }

    /** The form AWS's own messages print an entry in. */
    String describe() {
      return "PutEventsRequestEntry(time="
          + time
          + ", source="
          + source
          + ", resources="
          + (resources == null ? "null" : "[" + String.join(", ", resources) + "]")
          + ", detailType="
          + detailType
          + ", detail="
          + detail
          + ", eventBusName="
          + eventBusName
          + ", traceHeader="
          + traceHeader
          + ", kmsKeyIdentifier=null, internalMetadata=null)";
    }
  }

  /** How one entry went. */
  public sealed interface Result {
    /** Accepted: the entry and its Detail, parsed. */
    record Accepted(Entry entry, ObjectNode detail) implements Result {}

    /** Failed: {@code ErrorCode} and {@code ErrorMessage}. */
    record Failed(String errorCode, String errorMessage) implements Result {}
  }

  /**
   * Checks a request and each of its entries, in order.
   *
   * @throws BusException {@code ValidationException} when the whole request is refused (HTTP 400):
   *     no entries, more than {@link #MAX_ENTRIES}, or over {@link #MAX_REQUEST_BYTES}
   */
  public static List<Result> validate(List<Entry> entries) {
    return validate(entries, MAX_REQUEST_BYTES);
  }

  /** {@link #validate(List)} with another size limit. */
  public static List<Result> validate(List<Entry> entries, long maxRequestBytes) {
    if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
      String all = entries.stream().map(Entry::describe).collect(Collectors.joining(", "));
      throw new BusException(
          "ValidationException",
          "1 validation error detected: Value '["
              + all
              + "]' at 'entries' failed to satisfy constraint: Member must have length "
              + (entries.isEmpty() ? "greater than or equal to 1" : "less than or equal to 10"));
    }
    long total = 0;
    for (Entry e : entries) {
      total += entrySize(e);
    }
    if (total > maxRequestBytes) {
      throw new BusException(
          "ValidationException", "Total size of the entries in the request is over the limit.");
    }
    List<Result> results = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      results.add(check(e));
    }
    return results;
  }

  /** How many entries failed. */
  public static int failedEntryCount(List<Result> results) {
    return (int) results.stream().filter(r -> r instanceof Result.Failed).count();
  }

  /**
   * An entry's size as EventBridge computes it: 14 bytes when {@code Time} is given, plus the UTF-8
   * bytes of Source, DetailType, Detail and each resource.
   */
  public static long entrySize(Entry e) {
    long size = e.time() != null ? TIME_BYTES : 0;
    size += utf8(e.source()) + utf8(e.detailType()) + utf8(e.detail());
    List<String> resources = e.resources();
    if (resources != null) {
      for (String r : resources) {
        size += utf8(r);
      }
    }
    return size;
  }

  private static long utf8(@Nullable String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static Result check(Entry e) {
    String source = e.source();
    if (source == null || source.isEmpty()) {
      return required("Source");
    }
    if (e.detailType() == null || e.detailType().isEmpty()) {
      return required("DetailType");
    }
    String detail = e.detail();
    if (detail == null || detail.isEmpty()) {
      return required("Detail");
    }
    if (source.startsWith("aws.")) {
      return new Result.Failed("NotAuthorizedForSourceException", "Not authorized for the source.");
    }
    JsonNode parsed = BusJson.parse(detail).orElse(null);
    if (!(parsed instanceof ObjectNode object)) {
      return new Result.Failed("MalformedDetail", "Detail is malformed.");
    }
    return new Result.Accepted(e, object);
  }

  private static Result required(String member) {
    return new Result.Failed(
        "InvalidArgument",
        "Parameter " + member + " is not valid. Reason: " + member + " is a required argument.");
  }

  /**
   * The event EventBridge makes of an accepted entry: {@code version}, {@code id}, {@code
   * detail-type}, {@code source}, {@code account}, {@code time} (the entry's Time, else {@code
   * received}; ISO 8601 to the second), {@code region}, {@code resources} and {@code detail}.
   */
  public static ObjectNode envelope(
      Result.Accepted accepted, String id, Instant received, String account, String region) {
    Entry e = accepted.entry();
    ObjectNode o = BusJson.NODES.objectNode();
    o.put("version", "0");
    o.put("id", id);
    o.put("detail-type", e.detailType());
    o.put("source", e.source());
    o.put("account", account);
    Instant time = e.time() != null ? e.time() : received;
    o.put("time", formatTime(time));
    o.put("region", region);
    ArrayNode resources = o.putArray("resources");
    List<String> given = e.resources();
    if (given != null) {
      given.forEach(resources::add);
    }
    o.set("detail", accepted.detail());
    return o;
  }

  /** An event time as EventBridge writes it: {@code 2022-01-01T00:00:00Z}. */
  public static String formatTime(Instant time) {
    return time.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
