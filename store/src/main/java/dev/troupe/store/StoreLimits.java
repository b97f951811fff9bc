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
}
