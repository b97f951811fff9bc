package dev.troupe.runtime.maprun;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.json.Json;
import dev.troupe.runtime.bucket.BucketException;
import dev.troupe.runtime.bucket.BucketStore;
import dev.troupe.runtime.bucket.ObjectEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Opens a Map Run's ItemReader as a lazy {@link ItemSource}: CSV, JSON, JSONL objects read with
 * s3:getObject, or an s3:listObjectsV2 listing. CSV and JSONL are streamed line by line; a JSON
 * document whose items are its top-level array is streamed item by item (with ItemsPointer the
 * document is parsed whole).
 */
public final class ItemReaders {
  /** The most items a ReaderConfig.MaxItems may ask for. */
  public static final long MAX_ITEMS_LIMIT = 100_000_000L;

  /** Reads one element of a streamed array (more elements follow it). */
  private static final ObjectReader ELEMENT =
      Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final String GET_OBJECT = "arn:aws:states:::s3:getObject";
  private static final String LIST_OBJECTS = "arn:aws:states:::s3:listObjectsV2";

  private ItemReaders() {}

  /**
   * Opens the reader described by {@code reader} (Resource, ReaderConfig, evaluated Parameters).
   */
  public static ItemSource open(ObjectNode reader, BucketStore store) {
    String resource = reader.path("Resource").asText("");
    JsonNode config = reader.path("ReaderConfig");
    JsonNode params = reader.path("Parameters");
    long maxItems = config.path("MaxItems").asLong(0);
    if (maxItems < 0 || maxItems > MAX_ITEMS_LIMIT) {
      throw new ItemReaderException(
          "MaxItems must be between 0 and " + MAX_ITEMS_LIMIT + " but was " + maxItems + ".");
    }
    String bucket = text(params, "Bucket");
    ItemSource source;
    if (resource.startsWith(LIST_OBJECTS)) {
      source = listing(store, bucket, params.path("Prefix").asText(""));
    } else if (resource.startsWith(GET_OBJECT)) {
      String key = text(params, "Key");
      String type = config.path("InputType").asText("JSON");
      source =
          switch (type) {
            case "CSV" -> csv(open(store, bucket, key), config);
            case "JSON" -> json(open(store, bucket, key), config);
            case "JSONL" -> jsonl(open(store, bucket, key));
            default ->
                throw new ItemReaderException(
                    "Troupe does not read ReaderConfig.InputType " + type + " yet.");
          };
    } else {
      throw new ItemReaderException("Unsupported ItemReader Resource: " + resource);
    }
    return maxItems > 0 ? limited(source, maxItems) : source;
  }

  private static String text(JsonNode params, String field) {
    JsonNode v = params.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new ItemReaderException(
          "The ItemReader's Parameters must give a non-empty string " + field + ".");
    }
    return v.asText();
  }

  private static InputStream open(BucketStore store, String bucket, String key) {
    try {
      return store.read(bucket, key);
    } catch (BucketException e) {
      throw failure(e, bucket, key);
    }
  }

  static ItemReaderException failure(BucketException e, String bucket, @Nullable String key) {
    int status = e.code().startsWith("NoSuch") ? 404 : 500;
    return new ItemReaderException(
        e.getMessage()
            + " (Service: S3, Status Code: "
            + status
            + ", Error Code: "
            + e.code()
            + ") Bucket: "
            + bucket
            + (key == null ? "" : ", Key: " + key));
  }

  // ---- CSV ---------------------------------------------------------------------------------

  static char delimiter(String name) {
    return switch (name) {
      case "COMMA" -> ',';
      case "PIPE" -> '|';
      case "SEMICOLON" -> ';';
      case "SPACE" -> ' ';
      case "TAB" -> '\t';
      default ->
          throw new ItemReaderException(
              "CSVDelimiter must be one of COMMA, PIPE, SEMICOLON, SPACE, TAB but was "
                  + name
                  + ".");
    };
  }

  static ItemSource csv(InputStream in, JsonNode config) {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    CsvRecords records =
        new CsvRecords(reader, delimiter(config.path("CSVDelimiter").asText("COMMA")));
    String location = config.path("CSVHeaderLocation").asText("FIRST_ROW");
    List<String> headers;
    try {
      if (location.equals("GIVEN")) {
        headers = new ArrayList<>();
        for (JsonNode h : config.path("CSVHeaders")) {
          headers.add(h.asText());
        }
        if (headers.isEmpty()) {
          throw new ItemReaderException(
              "CSVHeaders must be given when CSVHeaderLocation is GIVEN.");
        }
      } else if (location.equals("FIRST_ROW")) {
        List<String> first = records.next();
        headers = first == null ? List.of() : first;
      } else {
        throw new ItemReaderException(
            "CSVHeaderLocation must be FIRST_ROW or GIVEN but was " + location + ".");
      }
    } catch (RuntimeException e) {
      closeQuietly(reader);
      throw e;
    }
    Set<String> seen = new HashSet<>();
    for (String h : headers) {
      if (!seen.add(h)) {
        closeQuietly(reader);
        throw new ItemReaderException("CSV headers cannot contain duplicates.");
      }
    }
    List<String> columns = List.copyOf(headers);
    return new Lookahead(reader) {
      @Override
      @Nullable JsonNode fetch() {
        if (columns.isEmpty()) {
          return null;
        }
        List<String> row = records.next();
        if (row == null) {
          return null;
        }
        ObjectNode item = Json.NODES.objectNode();
        for (int i = 0; i < columns.size(); i++) {
          item.put(columns.get(i), i < row.size() ? row.get(i) : "");
        }
        return item;
      }
    };
  }

  // ---- JSON and JSONL ----------------------------------------------------------------------

  static ItemSource json(InputStream in, JsonNode config) {
    String pointer = config.path("ItemsPointer").asText("");
    if (pointer.isEmpty()) {
      return streamedArray(in);
    }
    JsonNode doc;
    try (in) {
      doc = Json.MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw new ItemReaderException("The JSON file is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonPointer p;
    try {
      p = JsonPointer.compile(pointer);
    } catch (IllegalArgumentException e) {
      throw new ItemReaderException(
          "ItemsPointer is not a valid JSON pointer: " + pointer + " (" + e.getMessage() + ")");
    }
    JsonNode items = doc == null ? Json.NODES.missingNode() : doc.at(p);
    if (!items.isArray()) {
      throw new ItemReaderException("Attempting to map over non-iterable node.");
    }
    Iterator<JsonNode> it = items.elements();
    return new Lookahead(null) {
      @Override
      @Nullable JsonNode fetch() {
        return it.hasNext() ? it.next() : null;
      }
    };
  }

  private static ItemSource streamedArray(InputStream in) {
    JsonParser parser;
    try {
      parser = Json.MAPPER.createParser(in);
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_ARRAY) {
        parser.close();
        if (first == null) {
          throw new ItemReaderException("The JSON file is empty.");
        }
        throw new ItemReaderException("Attempting to map over non-iterable node.");
      }
    } catch (JsonProcessingException e) {
      closeQuietly(in);
      throw new ItemReaderException("The JSON file is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      closeQuietly(in);
      throw new UncheckedIOException(e);
    }
    return new Lookahead(parser) {
      @Override
      @Nullable JsonNode fetch() {
        try {
          JsonToken t = parser.nextToken();
          if (t == JsonToken.END_ARRAY) {
            return null;
          }
          if (t == null) {
            throw new ItemReaderException("The JSON file is not valid JSON: the array never ends.");
          }
          return ELEMENT.readTree(parser);
        } catch (JsonProcessingException e) {
          throw new ItemReaderException(
              "The JSON file is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  static ItemSource jsonl(InputStream in) {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    long[] line = {0};
    return new Lookahead(reader) {
      @Override
      @Nullable JsonNode fetch() {
        try {
          String text;
          do {
            text = reader.readLine();
            line[0]++;
          } while (text != null && text.isBlank());
          if (text == null) {
            return null;
          }
          return Json.parse(text);
        } catch (JsonProcessingException e) {
          throw new ItemReaderException(
              "The JSONL file is not valid JSON Lines: line "
                  + line[0]
                  + " is not valid JSON: "
                  + e.getOriginalMessage());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  // ---- listObjectsV2 -----------------------------------------------------------------------

  private static final DateTimeFormatter LAST_MODIFIED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

  static ItemSource listing(BucketStore store, String bucket, String prefix) {
    Iterator<ObjectEntry> it;
    try {
      it = store.list(bucket, prefix);
    } catch (BucketException e) {
      throw failure(e, bucket, null);
    }
    return new Lookahead(null) {
      @Override
      @Nullable JsonNode fetch() {
        if (!it.hasNext()) {
          return null;
        }
        ObjectEntry e = it.next();
        ObjectNode item = Json.NODES.objectNode();
        item.put("Etag", e.etag());
        item.put("Key", e.key());
        item.put(
            "LastModified", LAST_MODIFIED.format(e.lastModified().truncatedTo(ChronoUnit.SECONDS)));
        item.put("Size", e.size());
        item.put("StorageClass", "STANDARD");
        return item;
      }
    };
  }

  // ---- plumbing ----------------------------------------------------------------------------

  private static ItemSource limited(ItemSource source, long max) {
    return new ItemSource() {
      long handed;

      @Override
      public boolean hasNext() {
        return handed < max && source.hasNext();
      }

      @Override
      public JsonNode next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        handed++;
        return source.next();
      }

      @Override
      public void close() {
        source.close();
      }
    };
  }

  private static void closeQuietly(@Nullable AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // nothing more to do
    }
  }

  /** An item source that fetches one item ahead. */
  private abstract static class Lookahead implements ItemSource {
    private final @Nullable AutoCloseable resource;
    private @Nullable JsonNode next;
    private boolean done;

    Lookahead(@Nullable AutoCloseable resource) {
      this.resource = resource;
    }

    abstract @Nullable JsonNode fetch();

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        next = fetch();
        done = next == null;
      }
      return next != null;
    }

    @Override
    public JsonNode next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      JsonNode n = next;
      next = null;
      if (n == null) {
        throw new NoSuchElementException();
      }
      return n;
    }

    @Override
    public void close() {
      done = true;
      closeQuietly(resource);
    }
  }
}
