package dev.troupe.asl.interp;

/** The only code that changes an {@link ExecutionState}: it folds recorded changes into it. */
public final class Applier {
  private Applier() {}

  public static void apply(ExecutionState state, Recorded recorded) {
    if (recorded.event() != null) {
      state.lastEventId = recorded.event().id();
    }
    for (Change change : recorded.changes()) {
      apply(state, change);
    }
  }

  static void apply(ExecutionState state, Change change) {
    switch (change) {
      case Change.Started s -> {
        state.info = s.info();
        state.input = s.input();
      }
      case Change.FramePut p -> state.frames.put(p.frame().id(), p.frame());
      case Change.FrameRemoved r -> {
        String prefix = r.frameId() + "/";
        state.frames.keySet().removeIf(id -> id.equals(r.frameId()) || id.startsWith(prefix));
      }
      case Change.Ended e -> {
        state.status = e.status();
        state.output = e.output();
        state.error = e.error();
        state.cause = e.cause();
        state.frames.clear();
        state.unfinished = e.unfinished();
      }
      case Change.Redriven r -> {
        state.status = dev.troupe.kernel.ExecutionStatus.RUNNING;
        state.output = null;
        state.error = null;
        state.cause = null;
        state.unfinished = java.util.List.of();
        state.redriveCount = r.count();
        state.redriveTime = r.time();
        if (r.clientToken() != null) {
          java.util.List<ExecutionState.RedriveToken> tokens =
              new java.util.ArrayList<>(state.redriveTokens);
          tokens.add(new ExecutionState.RedriveToken(r.clientToken(), r.time()));
          while (tokens.size() > ExecutionState.REDRIVE_TOKENS_KEPT) {
            tokens.remove(0);
          }
          state.redriveTokens = java.util.List.copyOf(tokens);
        }
      }
    }
  }

  /** Rebuilds a state from its whole record history. */
  public static ExecutionState replay(Iterable<Recorded> history) {
    ExecutionState state = new ExecutionState();
    for (Recorded r : history) {
      apply(state, r);
    }
    return state;
  }
}
