package dev.troupe.runtime.maprun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.runtime.InMemoryRunner;
import dev.troupe.runtime.RunOptions;
import dev.troupe.runtime.RunResult;
import dev.troupe.runtime.TaskHandler;
import dev.troupe.runtime.bucket.LocalBuckets;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The item readers, batching, the tolerated-failure threshold and the result files. */
class MapRunPartsTest {
  private static List<JsonNode> all(ItemSource s) {
    List<JsonNode> l = new ArrayList<>();
    try (s) {
      s.forEachRemaining(l::add);
    }
    return l;
  }

  private static ByteArrayInputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(String s) throws Exception {
    return Json.parse(s);
  }

  // ---- CSV ---------------------------------------------------------------------------------

  @Test
  void csvQuotesEscapedQuotesAndNewlinesInsideFields() throws Exception {
    List<JsonNode> items =
        all(
            ItemReaders.csv(
                bytes("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",3\n\n"), json("{}")));
    assertThat(items)
        .containsExactly(
            json("{\"a\":\"x, y\",\"b\":\"say \\\"hi\\\"\"}"),
            json("{\"a\":\"two\\nlines\",\"b\":\"3\"}"));
  }

  @Test
  void csvValuesStayStringsMissingAreEmptyExtraAreDropped() throws Exception {
    List<JsonNode> items = all(ItemReaders.csv(bytes("n,flag\n1,true,extra\n2\n"), json("{}")));
    assertThat(items)
        .containsExactly(
            json("{\"n\":\"1\",\"flag\":\"true\"}"), json("{\"n\":\"2\",\"flag\":\"\"}"));
  }

  @Test
  void csvDelimitersAndGivenHeaders() throws Exception {
    for (var c : Map.of("PIPE", "|", "SEMICOLON", ";", "SPACE", " ", "TAB", "\t").entrySet()) {
      ObjectNode config = (ObjectNode) json("{\"CSVHeaderLocation\":\"GIVEN\"}");
      config.put("CSVDelimiter", c.getKey());
      config.putArray("CSVHeaders").add("p").add("q");
      List<JsonNode> items = all(ItemReaders.csv(bytes("1" + c.getValue() + "2\n"), config));
      assertThat(items).as(c.getKey()).containsExactly(json("{\"p\":\"1\",\"q\":\"2\"}"));
    }
  }

  @Test
  void csvDuplicateHeadersAndUnclosedQuotesFail() {
    assertThatThrownBy(() -> ItemReaders.csv(bytes("a,a\n1,2\n"), json("{}")))
        .isInstanceOf(ItemReaderException.class)
        .hasMessage("CSV headers cannot contain duplicates.");
    assertThatThrownBy(() -> all(ItemReaders.csv(bytes("a\n\"open\n"), json("{}"))))
        .isInstanceOf(ItemReaderException.class)
        .hasMessageContaining("line 2 is never closed");
  }

  // ---- JSON, JSONL, pointers, MaxItems -----------------------------------------------------

  @Test
  void jsonArrayIsStreamedAndPointerSelectsNestedArray() throws Exception {
    assertThat(all(ItemReaders.json(bytes("[1,{\"a\":2},[3]]"), json("{}"))))
        .containsExactly(json("1"), json("{\"a\":2}"), json("[3]"));
    assertThat(
            all(
                ItemReaders.json(
                    bytes("{\"data\":{\"rows\":[\"x\",\"y\"]}}"),
                    json("{\"ItemsPointer\":\"/data/rows\"}"))))
        .containsExactly(json("\"x\""), json("\"y\""));
    assertThatThrownBy(() -> ItemReaders.json(bytes("{\"a\":1}"), json("{}")))
        .hasMessage("Attempting to map over non-iterable node.");
    assertThatThrownBy(() -> all(ItemReaders.json(bytes("[1, oops]"), json("{}"))))
        .isInstanceOf(ItemReaderException.class)
        .hasMessageStartingWith("The JSON file is not valid JSON");
  }

  @Test
  void jsonlReadsLinesAndNamesTheBadOne() throws Exception {
    assertThat(all(ItemReaders.jsonl(bytes("{\"a\":1}\n\n[2]\n"))))
        .containsExactly(json("{\"a\":1}"), json("[2]"));
    assertThatThrownBy(() -> all(ItemReaders.jsonl(bytes("1\n{bad\n"))))
        .isInstanceOf(ItemReaderException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void maxItemsLimitsAndZeroMeansAll(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("f.jsonl"), "1\n2\n3\n");
    LocalBuckets store = new LocalBuckets(Map.of("b", dir));
    String reader =
        "{\"Resource\":\"arn:aws:states:::s3:getObject\",\"Parameters\":{\"Bucket\":\"b\","
            + "\"Key\":\"f.jsonl\"},\"ReaderConfig\":{\"InputType\":\"JSONL\",\"MaxItems\":%d}}";
    assertThat(all(ItemReaders.open((ObjectNode) json(String.format(reader, 2)), store)))
        .hasSize(2);
    assertThat(all(ItemReaders.open((ObjectNode) json(String.format(reader, 0)), store)))
        .hasSize(3);
    String missing = String.format(reader, 0).replace("f.jsonl", "nope.jsonl");
    assertThatThrownBy(() -> ItemReaders.open((ObjectNode) json(missing), store))
        .hasMessageContaining("The specified key does not exist.")
        .hasMessageContaining("NoSuchKey");
  }

  @Test
  void listObjectsGivesS3ListingEntries(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/a.txt"), "hello");
    Files.writeString(dir.resolve("other.txt"), "x");
    List<JsonNode> items =
        all(
            ItemReaders.open(
                (ObjectNode)
                    json(
                        "{\"Resource\":\"arn:aws:states:::s3:listObjectsV2\","
                            + "\"Parameters\":{\"Bucket\":\"b\",\"Prefix\":\"in/\"}}"),
                new LocalBuckets(Map.of("b", dir))));
    assertThat(items).hasSize(1);
    assertThat(items.get(0).path("Key").asText()).isEqualTo("in/a.txt");
    assertThat(items.get(0).path("Size").asLong()).isEqualTo(5);
    assertThat(items.get(0).path("Etag").asText())
        .isEqualTo("\"5d41402abc4b2a76b9719d911017c592\"");
    assertThat(items.get(0).path("StorageClass").asText()).isEqualTo("STANDARD");
  }

  // ---- threshold ---------------------------------------------------------------------------

  @Test
  void thresholdBoundaries() {
    assertThat(MapRunDriver.tolerated(-1, -1, 0, 10)).isTrue();
    assertThat(MapRunDriver.tolerated(-1, -1, 1, 10)).isFalse();
    assertThat(MapRunDriver.tolerated(2, -1, 2, 10)).isTrue();
    assertThat(MapRunDriver.tolerated(2, -1, 3, 10)).isFalse();
    assertThat(MapRunDriver.tolerated(-1, 20, 2, 10)).isTrue();
    assertThat(MapRunDriver.tolerated(-1, 20, 3, 10)).isFalse();
  }

  // ---- through the runner: batching, threshold, result files ------------------------------

  private static RunResult run(Path dir, String map, String input) throws Exception {
    String definition = "{\"StartAt\":\"M\",\"States\":{\"M\":" + map + "}}";
    return new InMemoryRunner(
            TaskHandler.NONE, Clock.systemUTC(), new LocalBuckets(Map.of("b", dir)))
        .run(definition, json(input), RunOptions.virtual());
  }

  private static final String FAIL_ON_X =
      "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":"
          + "\"STANDARD\"},\"StartAt\":\"C\",\"States\":{\"C\":{\"Type\":\"Choice\",\"Choices\":"
          + "[{\"Variable\":\"$.v\",\"StringEquals\":\"x\",\"Next\":\"F\"}],\"Default\":\"P\"},"
          + "\"F\":{\"Type\":\"Fail\",\"Error\":\"Bad\",\"Cause\":\"x\"},\"P\":{\"Type\":\"Pass\","
          + "\"End\":true}}}";

  private static String csvReader(String key) {
    return "\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\",\"ReaderConfig\":"
        + "{\"InputType\":\"CSV\",\"CSVHeaderLocation\":\"FIRST_ROW\"},\"Parameters\":"
        + "{\"Bucket\":\"b\",\"Key.$\":\"$.key\"}}";
  }

  @Test
  void toleratedCountAtItsBoundary(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("d.csv"), "v\na\nx\nb\nx\n");
    String base = "{\"Type\":\"Map\"," + csvReader("d.csv") + "," + FAIL_ON_X;
    RunResult ok =
        run(dir, base + ",\"ToleratedFailureCount\":2,\"End\":true}", "{\"key\":\"d.csv\"}");
    assertThat(ok.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(ok.output()).hasSize(4);
    RunResult over =
        run(dir, base + ",\"ToleratedFailureCount\":1,\"End\":true}", "{\"key\":\"d.csv\"}");
    assertThat(over.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(over.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
    assertThat(over.cause()).isEqualTo("The specified tolerated failure threshold was exceeded");
    assertThat(over.history().stream().map(e -> e.type()))
        .containsSubsequence("MapRunStarted", "MapRunFailed", "MapStateFailed");
    RunResult pct =
        run(dir, base + ",\"ToleratedFailurePercentage\":50,\"End\":true}", "{\"key\":\"d.csv\"}");
    assertThat(pct.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void batchesByCountAndBytesWithBatchInput(@TempDir Path dir) throws Exception {
    String items = "[\"aaaa\",\"bbbb\",\"cccc\",\"dddd\",\"eeee\"]";
    String passThrough =
        "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\"},\"StartAt\":\"P\","
            + "\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}";
    RunResult byCount =
        run(
            dir,
            "{\"Type\":\"Map\",\"ItemBatcher\":{\"MaxItemsPerBatch\":2,\"BatchInput\":"
                + "{\"k.$\":\"$.k\"}},"
                + passThrough
                + ",\"ItemsPath\":\"$.items\",\"End\":true}",
            "{\"k\":1,\"items\":" + items + "}");
    assertThat(byCount.output())
        .isEqualTo(
            json(
                "[{\"BatchInput\":{\"k\":1},\"Items\":[\"aaaa\",\"bbbb\"]},"
                    + "{\"BatchInput\":{\"k\":1},\"Items\":[\"cccc\",\"dddd\"]},"
                    + "{\"BatchInput\":{\"k\":1},\"Items\":[\"eeee\"]}]"));
    // {"Items":[]} is 12 bytes, each item 6 more and a comma: 12+6+7+7 = 32 holds three
    RunResult byBytes =
        run(
            dir,
            "{\"Type\":\"Map\",\"ItemBatcher\":{\"MaxInputBytesPerBatchPath\":\"$.max\"},"
                + passThrough
                + ",\"ItemsPath\":\"$.items\",\"End\":true}",
            "{\"max\":32,\"items\":" + items + "}");
    assertThat(byBytes.output())
        .isEqualTo(
            json("[{\"Items\":[\"aaaa\",\"bbbb\",\"cccc\"]},{\"Items\":[\"dddd\",\"eeee\"]}]"));
  }

  @Test
  void resultWriterFilesJsonlAndFlatten(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("d.csv"), "v\na\nx\n");
    String writer =
        ",\"ResultWriter\":{\"Resource\":\"arn:aws:states:::s3:putObject\",\"Parameters\":"
            + "{\"Bucket\":\"b\",\"Prefix\":\"out\"},\"WriterConfig\":{\"Transformation\":"
            + "\"NONE\",\"OutputType\":\"JSONL\"}}";
    RunResult r =
        run(
            dir,
            "{\"Type\":\"Map\",\"Label\":\"L\","
                + csvReader("d.csv")
                + ","
                + FAIL_ON_X
                + writer
                + ",\"ToleratedFailureCount\":1,\"End\":true}",
            "{\"key\":\"d.csv\"}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    JsonNode output = java.util.Objects.requireNonNull(r.output());
    String key = output.path("ResultWriterDetails").path("Key").asText();
    String runId = output.path("MapRunArn").asText().replaceAll(".*:", "");
    assertThat(key).isEqualTo("out/" + runId + "/manifest.json");
    JsonNode manifest = json(Files.readString(dir.resolve(key)));
    String succeeded = manifest.path("ResultFiles").path("SUCCEEDED").get(0).path("Key").asText();
    assertThat(succeeded).isEqualTo("out/" + runId + "/SUCCEEDED_0.jsonl");
    List<String> lines = Files.readAllLines(dir.resolve(succeeded));
    assertThat(lines).hasSize(1);
    JsonNode entry = json(lines.get(0));
    assertThat(entry.path("Status").asText()).isEqualTo("SUCCEEDED");
    assertThat(json(entry.path("Input").asText())).isEqualTo(json("{\"v\":\"a\"}"));
    assertThat(json(entry.path("Output").asText())).isEqualTo(json("{\"v\":\"a\"}"));
    assertThat(entry.path("ExecutionArn").asText()).contains(":execution:machine/L:");
    String failed = manifest.path("ResultFiles").path("FAILED").get(0).path("Key").asText();
    JsonNode failedEntry = json(Files.readAllLines(dir.resolve(failed)).get(0));
    assertThat(failedEntry.path("Error").asText()).isEqualTo("Bad");
    assertThat(failedEntry.has("Output")).isFalse();
  }

  /**
   * ItemSelector sees $$.Map.Item.Index/Value and the state input; WriterConfig alone shapes the
   * Map's output: FLATTEN joins the children's arrays.
   */
  @Test
  void itemSelectorAndFlattenWithoutABucket(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("d.jsonl"), "\"a\"\n\"b\"\n");
    String map =
        "{\"Type\":\"Map\",\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\","
            + "\"ReaderConfig\":{\"InputType\":\"JSONL\"},\"Parameters\":{\"Bucket\":\"b\","
            + "\"Key\":\"d.jsonl\"}},\"ItemSelector\":{\"i.$\":\"$$.Map.Item.Index\","
            + "\"v.$\":\"$$.Map.Item.Value\",\"k.$\":\"$.k\"},"
            + "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\"},\"StartAt\":\"P\","
            + "\"States\":{\"P\":{\"Type\":\"Pass\",\"Parameters\":{\"a.$\":"
            + "\"States.Array($.i, $.v, $.k)\"},\"OutputPath\":\"$.a\",\"End\":true}}},"
            + "\"ResultWriter\":{\"WriterConfig\":{\"Transformation\":\"%s\"}},\"End\":true}";
    RunResult flat = run(dir, String.format(map, "FLATTEN"), "{\"k\":\"K\"}");
    assertThat(flat.output()).isEqualTo(json("[0,\"a\",\"K\",1,\"b\",\"K\"]"));
    RunResult compact = run(dir, String.format(map, "COMPACT"), "{\"k\":\"K\"}");
    assertThat(compact.output()).isEqualTo(json("[[0,\"a\",\"K\"],[1,\"b\",\"K\"]]"));
  }

  /** As recorded from AWS: with an ItemReader, ItemsPath is ignored, even one matching nothing. */
  @Test
  void itemsPathIsIgnoredWithAnItemReader(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("d.json"), "[[\"from-bucket\"]]");
    String passThrough =
        "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\"},\"StartAt\":\"P\","
            + "\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}";
    RunResult r =
        run(
            dir,
            "{\"Type\":\"Map\",\"ItemsPath\":\"$.no_such_path\",\"ItemReader\":{\"Resource\":"
                + "\"arn:aws:states:::s3:getObject\",\"ReaderConfig\":{\"InputType\":\"JSON\"},"
                + "\"Parameters\":{\"Bucket\":\"b\",\"Key\":\"d.json\"}},"
                + passThrough
                + ",\"End\":true}",
            "{}");
    assertThat(r.status()).as(String.valueOf(r.cause())).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output()).isEqualTo(json("[[\"from-bucket\"]]"));
    assertThat(r.history().stream().map(e -> e.type()))
        .containsExactly(
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded");
  }

  @Test
  void missingBucketIsAnItemReaderFailure(@TempDir Path dir) throws Exception {
    RunResult r =
        run(
            dir,
            "{\"Type\":\"Map\",\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\","
                + "\"ReaderConfig\":{\"InputType\":\"JSON\"},\"Parameters\":{\"Bucket\":\"nope\","
                + "\"Key\":\"k\"}},"
                + FAIL_ON_X
                + ",\"End\":true}",
            "{}");
    assertThat(r.error()).isEqualTo("States.ItemReaderFailed");
    assertThat(r.cause()).contains("The specified bucket does not exist").contains("NoSuchBucket");
  }
}
