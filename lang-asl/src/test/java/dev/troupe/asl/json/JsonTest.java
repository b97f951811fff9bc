package dev.troupe.asl.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static int written(JsonNode v) {
    return Json.write(v).getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void utf8LengthCountsEveryCharacterAsTheWrittenTextDoes() {
    for (int c = 0; c <= 0xFFFF; c++) {
      JsonNode v = Json.NODES.textNode("a" + (char) c + "b");
      assertThat(Json.utf8Length(v)).as("U+%04X", c).isEqualTo(written(v));
      ObjectNode key = Json.NODES.objectNode();
      key.put("k" + (char) c, 1);
      assertThat(Json.utf8Length(key)).as("key U+%04X", c).isEqualTo(written(key));
    }
    JsonNode pair = Json.NODES.textNode("x\uD83D\uDE00y\uDE00\uD83D");
    assertThat(Json.utf8Length(pair)).isEqualTo(written(pair));
  }

  @Test
  void numbersAreWrittenAsJacksonWritesThem() throws Exception {
    ArrayNode numbers = Json.NODES.arrayNode();
    numbers.add(0).add(-7).add(Integer.MAX_VALUE).add(Integer.MIN_VALUE).add(Long.MIN_VALUE);
    numbers.add(BigInteger.TEN.pow(40).negate()).add(Json.parse("123456789012345678901234567890"));
    for (JsonNode n : numbers) {
      assertThat(Json.write(n)).isEqualTo(Json.MAPPER.writeValueAsString(n));
    }
  }

  @Test
  void utf8LengthEqualsTheWrittenLengthOfAnyTree() throws Exception {
    String[] samples = {
      "{}",
      "[]",
      "{\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":false,\"e\":\"x\\\"y\\\\z\\n\"}",
      "[1.5,-0.0,1e400,123456789012345678901234567890,-9223372036854775808,2147483648]",
      "{\"n\":1.0E+2,\"m\":0.000001,\"k\":\"é漢字\"}"
    };
    for (String s : samples) {
      JsonNode v = Json.parse(s);
      assertThat(Json.utf8Length(v)).as(s).isEqualTo(written(v));
    }
    ArrayNode odd = Json.NODES.arrayNode();
    odd.add(1.25d).add(3.5f).add(new BigDecimal("1E+3")).add(BigInteger.TEN.pow(30)).add((short) 7);
    odd.add(Long.MIN_VALUE).add(Integer.MIN_VALUE).add(Double.NaN);
    assertThat(Json.utf8Length(odd)).isEqualTo(written(odd));
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      JsonNode v = randomTree(random, 4);
      assertThat(Json.utf8Length(v)).as(Json.write(v)).isEqualTo(written(v));
    }
  }

  private static JsonNode randomTree(SplittableRandom r, int depth) {
    int kind = r.nextInt(depth == 0 ? 6 : 8);
    return switch (kind) {
      case 0 -> Json.NODES.nullNode();
      case 1 -> Json.NODES.booleanNode(r.nextBoolean());
      case 2 -> Json.NODES.numberNode(r.nextInt());
      case 3 -> Json.NODES.numberNode(r.nextLong());
      case 4 -> Json.NODES.numberNode(new BigDecimal(r.nextDouble() * 1e6 - 5e5));
      case 5 -> {
        StringBuilder b = new StringBuilder();
        for (int j = r.nextInt(8); j > 0; j--) {
          b.append((char) r.nextInt(0x3000));
        }
        yield Json.NODES.textNode(b.toString());
      }
      case 6 -> {
        ArrayNode a = Json.NODES.arrayNode();
        for (int j = r.nextInt(5); j > 0; j--) {
          a.add(randomTree(r, depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = Json.NODES.objectNode();
        for (int j = r.nextInt(5); j > 0; j--) {
          o.set("k" + r.nextInt(100) + (char) r.nextInt(0x3000), randomTree(r, depth - 1));
        }
        yield o;
      }
    };
  }
}
