package dev.troupe.asl.interp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;

/**
 * The results of a Map or Parallel state's children as an immutable list that is changed by making
 * a new version in constant time: a version is its previous one plus one (index, value), so that a
 * Map of n items records its n results in O(n) rather than copying the list n times. The values are
 * read in one pass, on the first read of a version, and kept.
 */
final class Results extends AbstractList<@Nullable JsonNode> implements RandomAccess {
  private final @Nullable List<@Nullable JsonNode> base;
  private final @Nullable Results previous;
  private final int index;
  private final @Nullable JsonNode value;
  private final int size;
  private volatile @Nullable JsonNode @Nullable [] values;

  private Results(
      @Nullable List<@Nullable JsonNode> base,
      @Nullable Results previous,
      int index,
      @Nullable JsonNode value,
      int size) {
    this.base = base;
    this.previous = previous;
    this.index = index;
    this.value = value;
    this.size = size;
  }

  /** {@code results} with {@code value} at {@code index} (the list given is not changed). */
  static List<@Nullable JsonNode> with(
      List<@Nullable JsonNode> results, int index, @Nullable JsonNode value) {
    if (index < 0 || index >= results.size()) {
      throw new IndexOutOfBoundsException(index);
    }
    if (results instanceof Results r) {
      return new Results(null, r, index, value, r.size);
    }
    return new Results(results, null, index, value, results.size());
  }

  @Override
  public @Nullable JsonNode get(int i) {
    return values()[i];
  }

  @Override
  public int size() {
    return size;
  }

  private @Nullable JsonNode[] values() {
    @Nullable JsonNode[] v = values;
    if (v != null) {
      return v;
    }
    v = new JsonNode[size];
    boolean[] set = new boolean[size];
    Results cur = this;
    List<@Nullable JsonNode> root = null;
    while (cur != null) {
      @Nullable JsonNode[] read = cur.values;
      if (read != null) {
        // an older version already read: fill what newer ones did not set
        for (int i = 0; i < size; i++) {
          if (!set[i]) {
            v[i] = read[i];
            set[i] = true;
          }
        }
        root = null;
        break;
      }
      if (!set[cur.index]) {
        v[cur.index] = cur.value;
        set[cur.index] = true;
      }
      root = cur.base;
      cur = cur.previous;
    }
    if (root != null) {
      for (int i = 0; i < size; i++) {
        if (!set[i]) {
          v[i] = root.get(i);
        }
      }
    }
    // computed from immutable versions: two threads reading at once compute the same values
    values = v;
    return v;
  }

  @Override
  public String toString() {
    return Arrays.toString(values());
  }
}
