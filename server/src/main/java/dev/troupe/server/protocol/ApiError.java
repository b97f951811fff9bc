package dev.troupe.server.protocol;

import org.jspecify.annotations.Nullable;

/**
 * An error answered in AWS's JSON shape: {@code {"__type": type, "message": message}} with an HTTP
 * status. {@code type} is the full type AWS sends (the SDKs and the CLI take the part after {@code
 * #} as the error code).
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The namespace of Step Functions' own errors, as the service names them on the wire. */
  public static final String SFN = "com.amazonaws.swf.service.v2.model#";

  private static final String CORAL = "com.amazon.coral.service#";
  private static final String VALIDATE = "com.amazon.coral.validate#";

  private final String type;
  private final int status;
  private final @Nullable String queryError;

  public ApiError(String type, String message, int status) {
    this(type, message, status, null);
  }

  /**
   * An error of a service that moved from AWS's query protocol to JSON (SQS): {@code queryError} is
   * the {@code x-amzn-query-error} header, {@code CODE;Sender} or {@code CODE;Receiver}, from which
   * the SDKs and the CLI take the query protocol's error code.
   */
  public ApiError(String type, String message, int status, @Nullable String queryError) {
    super(message);
    this.type = type;
    this.status = status;
    this.queryError = queryError;
  }

  /** The {@code x-amzn-query-error} header to send, if any. */
  public @Nullable String queryError() {
    return queryError;
  }

  /**
   * One of Step Functions' modelled errors (HTTP 400), such as {@code StateMachineDoesNotExist}.
   */
  public static ApiError sfn(String code, String message) {
    return new ApiError(SFN + code, message, 400);
  }

  /** AWS's ValidationException, worded as its request validation words it. */
  public static ApiError validation(String message) {
    return new ApiError(VALIDATE + "ValidationException", message, 400);
  }

  /** "1 validation error detected: ..." for one field. */
  public static ApiError invalidField(String constraint) {
    return validation("1 validation error detected: " + constraint);
  }

  public static ApiError unknownOperation(String target) {
    return new ApiError(
        CORAL + "UnknownOperationException",
        target.isEmpty()
            ? "The request has no X-Amz-Target header naming an operation"
            : "Unknown operation: '" + target + "'",
        400);
  }

  public static ApiError serialization(String message) {
    return new ApiError(CORAL + "SerializationException", message, 400);
  }

  public static ApiError internal(String message) {
    return new ApiError("InternalFailure", message, 500);
  }

  /** The full {@code __type}. */
  public String type() {
    return type;
  }

  /** The error code the SDKs show: the part of the type after {@code #}. */
  public String code() {
    return type.substring(type.indexOf('#') + 1);
  }

  public int status() {
    return status;
  }
}
