package dev.troupe.store;

/** An execution's state as the driver stored it (opaque to the store) and its row version. */
public record Snapshot(String executionId, long version, byte[] state) {
  public Snapshot {
    state = state.clone();
  }

  @Override
  public byte[] state() {
    return state.clone();
  }
}
