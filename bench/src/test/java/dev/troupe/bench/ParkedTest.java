package dev.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The memory rows' parking runs: every execution parks on its Wait (never a timed assertion). */
class ParkedTest {
  @Test
  void executionsParkInMemoryOnTheirWait() {
    Parked.Memory m = Parked.inMemory(200);
    assertThat(m.executions()).isEqualTo(200);
  }
}
