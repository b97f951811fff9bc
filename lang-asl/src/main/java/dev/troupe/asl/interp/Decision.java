package dev.troupe.asl.interp;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the interpreter decided for one command: records to store, then effects to carry out.
 *
 * @param records the records, in order
 * @param effects the effects, to carry out once the records are stored
 * @param after the execution's state with the records folded in by {@link Applier} (the
 *     interpreter's own working copy, handed over: a shell that keeps its state in memory may take
 *     it instead of folding the records again), or null when not given
 */
public record Decision(
    List<Recorded> records, List<Effect> effects, @Nullable ExecutionState after) {
  /** A decision without the state after it. */
  public Decision(List<Recorded> records, List<Effect> effects) {
    this(records, effects, null);
  }
}
