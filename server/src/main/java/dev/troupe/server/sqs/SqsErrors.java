package dev.troupe.server.sqs;

import dev.troupe.server.protocol.ApiError;

/**
 * SQS's errors on the JSON protocol: {@code __type} is {@code com.amazonaws.sqs#<Shape>} (the
 * exception the SDKs raise), and the {@code x-amzn-query-error} header carries the query protocol's
 * code (the error code the SDKs and the CLI report), e.g. {@code QueueDoesNotExist} with {@code
 * AWS.SimpleQueueService.NonExistentQueue;Sender}.
 */
public final class SqsErrors {
  private SqsErrors() {}

  static final String NAMESPACE = "com.amazonaws.sqs#";

  static ApiError error(String shape, String queryCode, String message) {
    return new ApiError(NAMESPACE + shape, message, 400, queryCode + ";Sender");
  }

  static ApiError nonExistentQueue() {
    return error(
        "QueueDoesNotExist",
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist.");
  }

  static ApiError queueNameExists(String attribute) {
    return error(
        "QueueNameExists",
        "QueueAlreadyExists",
        "A queue already exists with the same name and a different value for attribute "
            + attribute);
  }

  static ApiError invalidParameterValue(String message) {
    return error("InvalidParameterValueException", "InvalidParameterValue", message);
  }

  /** "Value V for parameter P is invalid. Reason: R." */
  static ApiError invalidValue(Object value, String parameter, String reason) {
    return invalidParameterValue(
        "Value " + value + " for parameter " + parameter + " is invalid. Reason: " + reason);
  }

  static ApiError missingParameter(String parameter) {
    return error(
        "MissingRequiredParameterException",
        "MissingParameter",
        "The request must contain the parameter " + parameter + ".");
  }

  static ApiError invalidAttributeName(String name) {
    return error("InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute " + name + ".");
  }

  static ApiError invalidAttributeValue(String name, String reason) {
    return error(
        "InvalidAttributeValue",
        "InvalidAttributeValue",
        "Invalid value for the parameter "
            + name
            + (reason.isEmpty() ? "." : ". Reason: " + reason));
  }

  static ApiError invalidAddress(String url) {
    return error(
        "InvalidAddress",
        "InvalidAddress",
        "The address " + url + " is not valid for this endpoint.");
  }

  static ApiError receiptHandleIsInvalid(String handle) {
    return error(
        "ReceiptHandleIsInvalid",
        "ReceiptHandleIsInvalid",
        "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
  }

  static ApiError messageNotInflight() {
    return error(
        "MessageNotInflight",
        "AWS.SimpleQueueService.MessageNotInflight",
        "The message referred to is not in flight.");
  }

  static ApiError notAvailableForVisibilityChange(String handle) {
    return invalidValue(
        handle,
        "ReceiptHandle",
        "Message does not exist or is not available for visibility timeout change.");
  }

  static ApiError invalidMessageContents(String message) {
    return error("InvalidMessageContents", "InvalidMessageContents", message);
  }

  static ApiError emptyBatch(String entryShape) {
    return error(
        "EmptyBatchRequest",
        "AWS.SimpleQueueService.EmptyBatchRequest",
        "There should be at least one " + entryShape + " in the request.");
  }

  static ApiError tooManyEntries(int sent) {
    return error(
        "TooManyEntriesInBatchRequest",
        "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        "Maximum number of entries per request are 10. You have sent " + sent + ".");
  }

  static ApiError idsNotDistinct(String id) {
    return error(
        "BatchEntryIdsNotDistinct",
        "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        "Id " + id + " repeated.");
  }

  static ApiError invalidBatchEntryId() {
    return error(
        "InvalidBatchEntryId",
        "AWS.SimpleQueueService.InvalidBatchEntryId",
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It"
            + " can be at most 80 letters long.");
  }

  static ApiError batchTooLong(long max, long sent) {
    return error(
        "BatchRequestTooLong",
        "AWS.SimpleQueueService.BatchRequestTooLong",
        "Batch requests cannot be longer than "
            + max
            + " bytes. You have sent "
            + sent
            + " bytes.");
  }

  static ApiError purgeInProgress(String queue) {
    return error(
        "PurgeQueueInProgress",
        "AWS.SimpleQueueService.PurgeQueueInProgress",
        "Only one PurgeQueue operation on " + queue + " is allowed every 60 seconds.");
  }

  static ApiError unsupported(String message) {
    return error("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", message);
  }

  /** An operation of the SQS API that Troupe does not serve. */
  static ApiError notServed(String operation) {
    return new ApiError(
        NAMESPACE + "UnsupportedOperation",
        "Troupe does not serve the SQS operation " + operation + " yet",
        400,
        "AWS.SimpleQueueService.UnsupportedOperation;Sender");
  }
}
