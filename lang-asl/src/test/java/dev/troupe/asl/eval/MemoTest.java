package dev.troupe.asl.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoTest {
  @Test
  void computesEachTextOnceAndStartsAgainPastItsSize() {
    Memo<String> memo = new Memo<>(3);
    List<String> computed = new ArrayList<>();
    for (String t : List.of("a", "b", "a", "c", "b")) {
      assertThat(memo.get(t, x -> computed.add(x) ? x.toUpperCase() : ""))
          .isEqualTo(t.toUpperCase());
    }
    assertThat(computed).containsExactly("a", "b", "c");
    assertThat(memo.find("a")).isEqualTo("A");
    memo.get("d", x -> x + "!");
    // a fourth text: the memo started again with it alone
    assertThat(memo.find("d")).isEqualTo("d!");
    assertThat(memo.find("a")).isNull();
    memo.put("d", "other");
    assertThat(memo.find("d")).isEqualTo("d!");
  }
}
