package dev.troupe.runtime.maprun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.asl.eval.Timestamps;
import dev.troupe.asl.json.Json;
import dev.troupe.kernel.ExecutionStatus;
import dev.troupe.runtime.bucket.BucketException;
import dev.troupe.runtime.bucket.BucketStore;
import dev.troupe.runtime.maprun.MapRunDriver.ChildResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The ResultWriter's files, written as children finish: {@code SUCCEEDED_0.json} and {@code
 * FAILED_0.json} under {@code <Prefix>/<map run id>/} (a JSON array, or JSON lines with OutputType
 * JSONL), then {@code manifest.json} listing them. Each child's entry goes straight to its file, so
 * memory does not grow with the number of children. The Map's output is then {@code {"MapRunArn",
 * "ResultWriterDetails": {"Bucket", "Key"}}}.
 */
final class ResultFiles implements MapRunDriver.ResultSink {
  private final BucketStore store;
  private final String mapRunArn;
  private final String bucket;
  private final String folder;
  private final String transformation;
  private final boolean jsonl;
  private final Part succeeded;
  private final Part failed;

  ResultFiles(BucketStore store, String mapRunArn, ObjectNode writer) {
    this.store = store;
    this.mapRunArn = mapRunArn;
    String resource = writer.path("Resource").asText("");
    if (!resource.startsWith("arn:aws:states:::s3:putObject")) {
      throw new ResultWriterException("Unsupported ResultWriter Resource: " + resource);
    }
    JsonNode params = writer.path("Parameters");
    JsonNode b = params.get("Bucket");
    if (b == null || !b.isTextual() || b.asText().isEmpty()) {
      throw new ResultWriterException(
          "The ResultWriter's Parameters must give a non-empty string Bucket.");
    }
    bucket = b.asText();
    String prefix = params.path("Prefix").asText("");
    String runId = mapRunArn.substring(mapRunArn.lastIndexOf(':') + 1);
    folder = (prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/") + runId + "/";
    JsonNode config = writer.path("WriterConfig");
    transformation = config.path("Transformation").asText("NONE");
    jsonl = config.path("OutputType").asText("JSON").equals("JSONL");
    succeeded = new Part("SUCCEEDED");
    failed = new Part("FAILED");
  }

  /** The entries a finished child contributes, shaped by the transformation. */
  static List<JsonNode> entries(ChildResult r, String transformation) {
    boolean ok = r.status() == ExecutionStatus.SUCCEEDED;
    if (ok && transformation.equals("COMPACT")) {
      return MapRunDriver.single(r.output() == null ? Json.NODES.nullNode() : r.output());
    }
    if (ok && transformation.equals("FLATTEN")) {
      JsonNode out = r.output() == null ? Json.NODES.nullNode() : r.output();
      List<JsonNode> l = new ArrayList<>();
      if (out.isArray()) {
        out.forEach(l::add);
      } else {
        l.add(out);
      }
      return l;
    }
    // NONE, and failed children whatever the transformation (AWS docs): execution details
    return MapRunDriver.single(details(r));
  }

  /** A child execution as DescribeExecution shows it (Transformation NONE). */
  static ObjectNode details(ChildResult r) {
    ObjectNode n = Json.NODES.objectNode();
    boolean ok = r.status() == ExecutionStatus.SUCCEEDED;
    if (!ok) {
      if (r.cause() != null) {
        n.put("Cause", r.cause());
      }
      if (r.error() != null) {
        n.put("Error", r.error());
      }
    }
    n.put("ExecutionArn", r.executionArn());
    n.put("Input", Json.write(r.input()));
    n.putObject("InputDetails").put("Included", true);
    n.put("Name", r.executionArn().substring(r.executionArn().lastIndexOf(':') + 1));
    if (ok) {
      n.put("Output", Json.write(r.output() == null ? Json.NODES.nullNode() : r.output()));
      n.putObject("OutputDetails").put("Included", true);
    }
    n.put("RedriveCount", 0);
    n.put("RedriveStatus", ok ? "NOT_REDRIVABLE" : "REDRIVABLE_BY_MAP_RUN");
    if (ok) {
      n.put("RedriveStatusReason", "Execution is SUCCEEDED and cannot be redriven");
    }
    n.put("StartDate", Timestamps.format(r.startDate()));
    n.put("StateMachineArn", r.stateMachineArn());
    n.put("Status", r.status().name());
    n.put("StopDate", Timestamps.format(r.stopDate()));
    return n;
  }

  @Override
  public void add(ChildResult r) {
    Part part = r.status() == ExecutionStatus.SUCCEEDED ? succeeded : failed;
    for (JsonNode entry : entries(r, transformation)) {
      part.write(entry);
    }
  }

  @Override
  public JsonNode finish() {
    ObjectNode manifest = Json.NODES.objectNode();
    manifest.put("DestinationBucket", bucket);
    manifest.put("MapRunArn", mapRunArn);
    ObjectNode files = manifest.putObject("ResultFiles");
    files.set("FAILED", failed.close());
    files.putArray("PENDING");
    files.set("SUCCEEDED", succeeded.close());
    String key = folder + "manifest.json";
    try (OutputStream out = store.write(bucket, key)) {
      out.write(Json.write(manifest).getBytes(StandardCharsets.UTF_8));
    } catch (IOException | BucketException e) {
      throw new ResultWriterException(writeFailure(key, e));
    }
    ObjectNode output = Json.NODES.objectNode();
    output.put("MapRunArn", mapRunArn);
    ObjectNode details = output.putObject("ResultWriterDetails");
    details.put("Bucket", bucket);
    details.put("Key", key);
    return output;
  }

  @Override
  public void discard() {
    succeeded.close();
    failed.close();
  }

  private String writeFailure(String key, Exception e) {
    String code = e instanceof BucketException be ? be.code() : "InternalError";
    return "Failed to write "
        + key
        + " to bucket "
        + bucket
        + ": "
        + e.getMessage()
        + " (Service: S3, Error Code: "
        + code
        + ")";
  }

  /** One status's file, opened at its first entry. */
  private final class Part {
    private final String key;
    private @Nullable OutputStream out;
    private long size;
    private long count;
    private boolean closed;

    Part(String status) {
      this.key = folder + status + "_0." + (jsonl ? "jsonl" : "json");
    }

    void write(JsonNode entry) {
      try {
        if (out == null) {
          out = new BufferedOutputStream(store.write(bucket, key), 1 << 16);
          if (!jsonl) {
            emit("[");
          }
        }
        if (count > 0) {
          emit(jsonl ? "" : ",");
        }
        emit(Json.write(entry));
        if (jsonl) {
          emit("\n");
        }
        count++;
      } catch (IOException | BucketException e) {
        throw new ResultWriterException(writeFailure(key, e));
      }
    }

    private void emit(String text) throws IOException {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      if (out != null) {
        out.write(bytes);
      }
      size += bytes.length;
    }

    ArrayNode close() {
      ArrayNode listed = Json.NODES.arrayNode();
      if (out == null || closed) {
        return listed;
      }
      closed = true;
      try {
        if (!jsonl) {
          emit("]");
        }
        out.close();
      } catch (IOException e) {
        throw new ResultWriterException(writeFailure(key, e));
      }
      ObjectNode file = listed.addObject();
      file.put("Key", key);
      file.put("Size", size);
      return listed;
    }
  }
}
