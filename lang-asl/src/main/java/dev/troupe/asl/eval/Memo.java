package dev.troupe.asl.eval;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A memo of immutable values computed from their text (parsed paths, parsed intrinsics), shared by
 * every thread: a read is one volatile read and a map lookup, without a lock; adding a value copies
 * the map (values are added once per distinct text). Past {@code max} texts it starts again. The
 * values must be immutable and depend on the text alone, so evaluation stays pure.
 */
public final class Memo<V> {
  private final int max;
  private volatile Map<String, V> values = Map.of();

  public Memo(int max) {
    this.max = max;
  }

  /** The value of {@code text}, computed by {@code compute} the first time. */
  public V get(String text, Function<String, V> compute) {
    V v = values.get(text);
    if (v == null) {
      v = compute.apply(text);
      put(text, v);
    }
    return v;
  }

  /** The value of {@code text} if it is known. */
  public @Nullable V find(String text) {
    return values.get(text);
  }

  /** Remembers {@code value} for {@code text}. */
  public synchronized void put(String text, V value) {
    Map<String, V> current = values;
    if (current.containsKey(text)) {
      return;
    }
    Map<String, V> next = current.size() >= max ? new HashMap<>() : new HashMap<>(current);
    next.put(text, value);
    values = next;
  }
}
