package dev.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerTest {
  @Test
  void readsTheBenchLinesAndSkipsTheRest() {
    List<JsonNode> lines =
        Peer.parse(
            List.of(
                "(node:1) ExperimentalWarning: something",
                "BENCH {\"phase\":\"measure\",\"iteration\":1,\"executions\":16,\"seconds\":1.15}",
                "BENCH {\"phase\":\"check\",\"stateEntered\":22,\"output\":{\"a\":1}}"));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("executions").longValue()).isEqualTo(16);
    assertThat(lines.get(1).get("output").get("a").intValue()).isEqualTo(1);
  }

  @Test
  void refusesAnUnreadableBenchLine() {
    assertThatThrownBy(() -> Peer.parse(List.of("BENCH {\"phase\":")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unreadable line from the peer script");
  }
}
