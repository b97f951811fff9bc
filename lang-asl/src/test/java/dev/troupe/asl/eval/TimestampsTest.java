package dev.troupe.asl.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  @Test
  void formatWritesWhatTheFormatterWrites() {
    Random r = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      // from year 0 (1 BC, where the pattern writes the year of era) to 9999, any nanosecond
      long second = -62_167_219_200L + (long) (r.nextDouble() * 315_537_897_599L);
      Instant t = Instant.ofEpochSecond(second, r.nextInt(1_000_000_000));
      assertThat(Timestamps.format(t)).as("%s", t).isEqualTo(Timestamps.OUT.format(t));
    }
    assertThat(Timestamps.format(Instant.parse("2030-01-01T00:00:00.999999999Z")))
        .isEqualTo("2030-01-01T00:00:00.999Z");
    assertThat(Timestamps.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
    Instant far = Instant.parse("+12000-01-01T00:00:00Z");
    assertThat(Timestamps.format(far)).isEqualTo(Timestamps.OUT.format(far));
  }

  @Test
  void formatAndParseRoundTripToTheMillisecond() {
    Instant t = Instant.parse("2024-02-29T23:59:59.123Z");
    assertThat(Timestamps.parse(Timestamps.format(t))).isEqualTo(t);
  }
}
