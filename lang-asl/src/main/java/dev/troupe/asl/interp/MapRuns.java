package dev.troupe.asl.interp;

import dev.troupe.asl.model.State.MapState;

/** Which Map states run as a Map Run in the shell. */
public final class MapRuns {
  private MapRuns() {}

  /**
   * A Distributed Map that reads items from a bucket, batches them or writes its results runs in
   * the shell ({@link Effect.RunMap}); other Distributed Maps run their iterations as frames of the
   * execution, which records the same MapRun* events.
   */
  public static boolean inShell(MapState m) {
    return m.distributed()
        && (m.raw().has("ItemReader") || m.raw().has("ItemBatcher") || m.raw().has("ResultWriter"));
  }
}
