package dev.troupe.store.queue;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A queue as the store keeps it: its name (unique on the server), the attributes set on it (SQS's
 * names and string values, as the service checked them; defaults are the service's), its tags, the
 * dead-letter queue its redrive policy names (by queue name, with the receive count past which a
 * message moves there), when it was created and last changed, and when it was last purged.
 */
public record QueueRecord(
    String name,
    Map<String, String> attributes,
    Map<String, String> tags,
    @Nullable Redrive redrive,
    Instant created,
    Instant modified,
    @Nullable Instant purged) {
  public QueueRecord {
    attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
    tags = java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
  }

  /**
   * A redrive policy: a message received more than {@code maxReceiveCount} times moves to the queue
   * named {@code deadLetterQueue}.
   */
  public record Redrive(String deadLetterQueue, int maxReceiveCount) {
    public Redrive {
      if (maxReceiveCount < 1) {
        throw new IllegalArgumentException("maxReceiveCount must be at least 1");
      }
    }
  }

  /** A new queue, never changed nor purged. */
  public static QueueRecord created(
      String name,
      Map<String, String> attributes,
      Map<String, String> tags,
      @Nullable Redrive redrive,
      Instant now) {
    return new QueueRecord(name, attributes, tags, redrive, now, now, null);
  }

  public QueueRecord withAttributes(
      Map<String, String> newAttributes, @Nullable Redrive newRedrive, Instant now) {
    return new QueueRecord(name, newAttributes, tags, newRedrive, created, now, purged);
  }

  public QueueRecord withTags(Map<String, String> newTags) {
    return new QueueRecord(name, attributes, newTags, redrive, created, modified, purged);
  }
}
