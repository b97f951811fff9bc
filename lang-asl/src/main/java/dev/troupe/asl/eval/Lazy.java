package dev.troupe.asl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A JSON value built when first asked for, then remembered: the context object ({@code $$}) of a
 * state is built only when one of its expressions reads it. Not shared between threads (one
 * decision of the interpreter uses it).
 */
public final class Lazy implements Supplier<JsonNode> {
  private @Nullable Supplier<? extends JsonNode> make;
  private @Nullable JsonNode value;

  private Lazy(@Nullable Supplier<? extends JsonNode> make, @Nullable JsonNode value) {
    this.make = make;
    this.value = value;
  }

  /** A value built by {@code make} the first time it is asked for. */
  public static Lazy of(Supplier<? extends JsonNode> make) {
    return new Lazy(make, null);
  }

  /** A value already built. */
  public static Lazy of(JsonNode value) {
    return new Lazy(null, value);
  }

  @Override
  public JsonNode get() {
    JsonNode v = value;
    if (v == null) {
      Supplier<? extends JsonNode> m = make;
      if (m == null) {
        throw new IllegalStateException("a lazy value without a value or a maker");
      }
      v = m.get();
      value = v;
      make = null;
    }
    return v;
  }
}
