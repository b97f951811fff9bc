package dev.troupe.asl.eval;

import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Deterministic randomness for the pure core. The shell stamps each input to the interpreter with a
 * seed; everything random the core needs (States.UUID, States.MathRandom, retry jitter) is drawn
 * from it, so the same seed gives the same result.
 */
public final class Randomness {
  private final SplittableRandom random;

  public Randomness(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A uniformly distributed double in [0, 1). */
  public double nextDouble() {
    return random.nextDouble();
  }

  /** A uniformly distributed int in [origin, bound). */
  public int nextInt(int origin, int bound) {
    return random.nextInt(origin, bound);
  }

  /** A version-4 UUID drawn from this source. */
  public UUID uuid() {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
