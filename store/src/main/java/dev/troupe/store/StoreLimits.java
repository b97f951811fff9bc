package dev.troupe.store;

/**
 * The sizes the store accepts, checked before anything is written. The defaults are Step
 * Functions': 256 KiB for an input or output, 80 characters for a name, 256 for an error, 32,768
 * for a cause; the snapshot and one event's details may be as large as an input and output together
 * plus room for the engine's bookkeeping (1 MiB).
 */
public record StoreLimits(
    int maxPayloadBytes,
    int maxNameLength,
    int maxErrorLength,
    int maxCauseLength,
    int maxSnapshotBytes,
    int maxEventDetailsBytes) {
  public static final StoreLimits DEFAULT =
      new StoreLimits(256 * 1024, 80, 256, 32_768, 1024 * 1024, 1024 * 1024);

  /**
   * The store's sizes for executions run under {@code limits}: its payload size, and room for a
   * snapshot or one event of four payloads (at least 1 MiB).
   */
  public static StoreLimits of(dev.troupe.kernel.Limits limits) {
    int payload = limits.maxPayloadBytes();
    int room = (int) Math.min(Integer.MAX_VALUE, Math.max(1024L * 1024, 4L * payload));
    return new StoreLimits(payload, 80, 256, 32_768, room, room);
  }
}
