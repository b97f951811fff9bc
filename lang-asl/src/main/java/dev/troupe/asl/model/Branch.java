package dev.troupe.asl.model;

import java.util.Map;

/** A set of states with a start: the whole machine, a Parallel branch, or a Map's processor. */
public record Branch(String startAt, Map<String, State> states) {
  public State state(String name) {
    State s = states.get(name);
    if (s == null) {
      throw new IllegalStateException("no state named " + name);
    }
    return s;
  }
}
