package dev.troupe.asl.interp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ResultsTest {
  @Test
  void everyVersionKeepsItsOwnValuesAsCopiesWould() {
    SplittableRandom random = new SplittableRandom(3);
    int n = 50;
    List<@Nullable JsonNode> version = Collections.nCopies(n, null);
    List<@Nullable JsonNode> copy = new ArrayList<>(version);
    List<List<@Nullable JsonNode>> versions = new ArrayList<>();
    List<List<@Nullable JsonNode>> copies = new ArrayList<>();
    for (int k = 0; k < 300; k++) {
      int i = random.nextInt(n);
      JsonNode v = Json.NODES.numberNode(k);
      version = Results.with(version, i, v);
      copy = new ArrayList<>(copy);
      copy.set(i, v);
      versions.add(version);
      copies.add(copy);
      if (k % 37 == 0) {
        // reading a version in the middle must not change what older or newer ones hold
        assertThat(version).isEqualTo(copy);
      }
    }
    for (int k = versions.size() - 1; k >= 0; k--) {
      assertThat(versions.get(k)).as("version %d", k).isEqualTo(copies.get(k));
      assertThat(versions.get(k)).hasSize(n);
    }
    List<@Nullable JsonNode> base = new ArrayList<>(Collections.nCopies(3, null));
    List<@Nullable JsonNode> one = Results.with(base, 1, Json.NODES.textNode("x"));
    assertThat(base).containsExactly(null, null, null);
    assertThat(one).containsExactly(null, Json.NODES.textNode("x"), null);
    assertThatThrownBy(() -> Results.with(base, 3, null))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
