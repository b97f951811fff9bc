package dev.troupe.asl.teststate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.teststate.TestStateRequest.FieldValidationMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks a Task's mocked result against the output shape of the service API it calls, as TestState
 * does: STRICT checks the types and limits of the fields present and that required fields are
 * there, PRESENT only the fields present, NONE nothing. Troupe knows the output shapes of the
 * integrations listed in {@link #SHAPES}; the result of any other resource is not checked. Fields
 * the shape does not know are let through.
 */
final class MockResultValidator {
  private static final String PREFIX = "Mock result schema validation error: ";

  private MockResultValidator() {}

  /** A shape of the service API's model, reduced to what the checks need. */
  sealed interface Shape {}

  record Str(int minLength, List<String> values) implements Shape {}

  record Num(boolean integral, @Nullable Long min, @Nullable Long max) implements Shape {}

  record Bool() implements Shape {}

  /** A timestamp, which Step Functions passes on as text. */
  record Timestamp() implements Shape {}

  /** A blob, which Step Functions passes on as base64 text. */
  record Blob(int minLength) implements Shape {}

  record ListOf(Shape member) implements Shape {}

  record MapOf(Shape value) implements Shape {}

  record Struct(Map<String, Shape> members, List<String> required) implements Shape {}

  /** Any JSON value (such as a Lambda function's decoded Payload). */
  record Any() implements Shape {}

  private static Shape str() {
    return new Str(0, List.of());
  }

  private static Shape str(int minLength) {
    return new Str(minLength, List.of());
  }

  private static Shape oneOf(String... values) {
    return new Str(0, List.of(values));
  }

  private static Shape integer() {
    return new Num(true, null, null);
  }

  private static Shape integer(long min, long max) {
    return new Num(true, min, max);
  }

  private static Shape decimal() {
    return new Num(false, null, null);
  }

  /**
   * A structure: pairs of member name and shape; a name ending in {@code !} is required (the mark
   * is not part of the name).
   */
  private static Struct struct(Object... pairs) {
    Map<String, Shape> members = new LinkedHashMap<>();
    List<String> required = new java.util.ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      String name = (String) pairs[i];
      if (name.endsWith("!")) {
        name = name.substring(0, name.length() - 1);
        required.add(name);
      }
      members.put(name, (Shape) pairs[i + 1]);
    }
    return new Struct(members, List.copyOf(required));
  }

  private static final Shape CONSUMED_CAPACITY =
      struct(
          "TableName", str(),
          "CapacityUnits", decimal(),
          "ReadCapacityUnits", decimal(),
          "WriteCapacityUnits", decimal(),
          "Table",
              struct(
                  "ReadCapacityUnits", decimal(),
                  "WriteCapacityUnits", decimal(),
                  "CapacityUnits", decimal()),
          "LocalSecondaryIndexes", new MapOf(struct("CapacityUnits", decimal())),
          "GlobalSecondaryIndexes", new MapOf(struct("CapacityUnits", decimal())));

  private static final Shape ITEM_COLLECTION_METRICS =
      struct(
          "ItemCollectionKey", new MapOf(new Any()),
          "SizeEstimateRangeGB", new ListOf(decimal()));

  private static final Struct DYNAMODB_WRITE =
      struct(
          "Attributes", new MapOf(new Any()),
          "ConsumedCapacity", CONSUMED_CAPACITY,
          "ItemCollectionMetrics", ITEM_COLLECTION_METRICS);

  private static final Shape STORAGE_CLASS =
      oneOf(
          "STANDARD",
          "REDUCED_REDUNDANCY",
          "STANDARD_IA",
          "ONEZONE_IA",
          "INTELLIGENT_TIERING",
          "GLACIER",
          "DEEP_ARCHIVE",
          "OUTPOSTS",
          "GLACIER_IR",
          "SNOW",
          "EXPRESS_ONEZONE");

  private static final Shape LAMBDA_CONFIGURATION =
      struct(
          "FunctionName", str(1),
          "FunctionArn", str(),
          "Runtime", str(),
          "Role", str(),
          "Handler", str(),
          "CodeSize", integer(),
          "Description", str(),
          "Timeout", integer(1, Integer.MAX_VALUE),
          "MemorySize", integer(128, 10240),
          "LastModified", str(),
          "CodeSha256", str(),
          "Version", str(1),
          "KmsKeyArn", str(),
          "MasterArn", str(),
          "RevisionId", str(),
          "State", oneOf("Pending", "Active", "Inactive", "Failed"),
          "StateReason", str(),
          "LastUpdateStatus", oneOf("Successful", "Failed", "InProgress"),
          "PackageType", oneOf("Zip", "Image"),
          "Architectures", new ListOf(oneOf("x86_64", "arm64")),
          "EphemeralStorage", struct("Size!", integer(512, 10240)));

  /** Output shapes by integration: {@code service:action} or {@code aws-sdk:service:action}. */
  static final Map<String, Struct> SHAPES =
      Map.ofEntries(
          Map.entry(
              "lambda:invoke",
              struct(
                  "StatusCode", integer(),
                  "FunctionError", str(),
                  "LogResult", str(),
                  "Payload", new Any(),
                  "ExecutedVersion", str(1))),
          Map.entry(
              "states:startExecution",
              struct("ExecutionArn!", str(1), "StartDate!", new Timestamp())),
          Map.entry(
              "events:putEvents",
              struct(
                  "FailedEntryCount",
                  integer(),
                  "Entries",
                  new ListOf(struct("EventId", str(), "ErrorCode", str(), "ErrorMessage", str())))),
          Map.entry(
              "sqs:sendMessage",
              struct(
                  "MD5OfMessageBody", str(),
                  "MD5OfMessageAttributes", str(),
                  "MD5OfMessageSystemAttributes", str(),
                  "MessageId", str(),
                  "SequenceNumber", str())),
          Map.entry("sns:publish", struct("MessageId", str(), "SequenceNumber", str())),
          Map.entry("dynamodb:putItem", DYNAMODB_WRITE),
          Map.entry("dynamodb:updateItem", DYNAMODB_WRITE),
          Map.entry("dynamodb:deleteItem", DYNAMODB_WRITE),
          Map.entry(
              "dynamodb:getItem",
              struct("Item", new MapOf(new Any()), "ConsumedCapacity", CONSUMED_CAPACITY)),
          Map.entry(
              "aws-sdk:lambda:getFunction",
              struct(
                  "Configuration",
                  LAMBDA_CONFIGURATION,
                  "Code",
                  struct(
                      "RepositoryType", str(),
                      "Location", str(),
                      "ImageUri", str(),
                      "ResolvedImageUri", str()),
                  "Tags",
                  new MapOf(str()),
                  "Concurrency",
                  struct("ReservedConcurrentExecutions", integer(0, Long.MAX_VALUE)))),
          Map.entry(
              "aws-sdk:s3:getObject",
              struct(
                  "Body", new Blob(0),
                  "DeleteMarker", new Bool(),
                  "AcceptRanges", str(),
                  "Expiration", str(),
                  "Restore", str(),
                  "LastModified", new Timestamp(),
                  "ContentLength", integer(),
                  "ETag", str(),
                  "MissingMeta", integer(),
                  "VersionId", str(),
                  "CacheControl", str(),
                  "ContentDisposition", str(),
                  "ContentEncoding", str(),
                  "ContentLanguage", str(),
                  "ContentRange", str(),
                  "ContentType", str(),
                  "Expires", new Timestamp(),
                  "WebsiteRedirectLocation", str(),
                  "ServerSideEncryption", oneOf("AES256", "aws:kms", "aws:kms:dsse"),
                  "Metadata", new MapOf(str()),
                  "SSECustomerAlgorithm", str(),
                  "SSECustomerKeyMD5", str(),
                  "SSEKMSKeyId", str(),
                  "BucketKeyEnabled", new Bool(),
                  "StorageClass", STORAGE_CLASS,
                  "RequestCharged", oneOf("requester"),
                  "ReplicationStatus",
                      oneOf("COMPLETE", "PENDING", "FAILED", "REPLICA", "COMPLETED"),
                  "PartsCount", integer(),
                  "TagCount", integer(),
                  "ObjectLockMode", oneOf("GOVERNANCE", "COMPLIANCE"),
                  "ObjectLockRetainUntilDate", new Timestamp(),
                  "ObjectLockLegalHoldStatus", oneOf("ON", "OFF"))),
          Map.entry(
              "aws-sdk:kms:encrypt",
              struct(
                  "CiphertextBlob", new Blob(1),
                  "KeyId", str(1),
                  "EncryptionAlgorithm",
                      oneOf(
                          "SYMMETRIC_DEFAULT",
                          "RSAES_OAEP_SHA_1",
                          "RSAES_OAEP_SHA_256",
                          "SM2PKE"))));

  /** The integration a Task resource calls, as a key of {@link #SHAPES}, or null. */
  static @Nullable String integration(String resource) {
    String prefix = "arn:aws:states:::";
    if (!resource.startsWith(prefix)) {
      return null;
    }
    String rest = resource.substring(prefix.length());
    if (rest.contains(".sync") || rest.endsWith(".waitForTaskToken")) {
      return null;
    }
    return rest;
  }

  /**
   * The first problem of a mocked result for the resource, as AWS words it, or null when there is
   * none (or Troupe does not know the resource's API).
   */
  static @Nullable String problem(String resource, JsonNode result, FieldValidationMode mode) {
    if (mode == FieldValidationMode.NONE) {
      return null;
    }
    String key = integration(resource);
    Struct shape = key == null ? null : SHAPES.get(key);
    if (shape == null || !result.isObject()) {
      return null;
    }
    String p = struct(shape, result, mode == FieldValidationMode.STRICT);
    return p == null ? null : PREFIX + p;
  }

  private static @Nullable String struct(Struct shape, JsonNode value, boolean strict) {
    for (Map.Entry<String, Shape> m : shape.members().entrySet()) {
      JsonNode v = value.get(m.getKey());
      if (v == null || v.isNull()) {
        if (strict && shape.required().contains(m.getKey())) {
          return "Required field '" + m.getKey() + "' is missing";
        }
        continue;
      }
      String p = check(m.getKey(), m.getValue(), v, strict);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private static @Nullable String check(String field, Shape shape, JsonNode v, boolean strict) {
    String at = "Field '" + field + "' ";
    return switch (shape) {
      case Any a -> null;
      case Str s -> {
        if (!v.isTextual()) {
          yield at + "must be a string";
        }
        if (v.asText().length() < s.minLength()) {
          yield at + "is smaller than the minimum length";
        }
        yield !s.values().isEmpty() && !s.values().contains(v.asText())
            ? at + "is not an expected value"
            : null;
      }
      case Timestamp t -> v.isTextual() ? null : at + "must be a string";
      case Blob b -> {
        if (!v.isTextual()) {
          yield at + "must be a string";
        }
        yield v.asText().length() < b.minLength()
            ? at + "is smaller than the minimum length"
            : null;
      }
      case Bool b -> v.isBoolean() ? null : at + "must be a boolean";
      case Num n -> {
        if (!v.isNumber()) {
          yield at + "must be a number";
        }
        if (n.min() != null && v.asDouble() < n.min()) {
          yield at + "is less than the minimum value";
        }
        yield n.max() != null && v.asDouble() > n.max() ? at + "exceeds the maximum value" : null;
      }
      case ListOf l -> {
        if (!v.isArray()) {
          yield at + "must be an array";
        }
        for (JsonNode e : v) {
          String p = check(field, l.member(), e, strict);
          if (p != null) {
            yield p;
          }
        }
        yield null;
      }
      case MapOf m -> {
        if (!v.isObject()) {
          yield at + "must be an object";
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
          String p = check(e.getKey(), m.value(), e.getValue(), strict);
          if (p != null) {
            yield p;
          }
        }
        yield null;
      }
      case Struct s -> v.isObject() ? struct(s, v, strict) : at + "must be an object";
    };
  }
}
