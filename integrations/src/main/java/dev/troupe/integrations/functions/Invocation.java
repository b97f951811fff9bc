package dev.troupe.integrations.functions;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** How one synchronous invocation of a function ended, as Lambda's Invoke answers it. */
public sealed interface Invocation {
  String requestId();

  /**
   * The function ran: its result, or its error object when {@code functionError} is set ({@code
   * Unhandled}, as Lambda's current runtimes report every error).
   *
   * @param payload the response payload (JSON)
   * @param functionError null on success, else the X-Amz-Function-Error value
   * @param logTail the last 4 KB of the function's log (a command's standard error)
   */
  record Returned(String requestId, byte[] payload, @Nullable String functionError, String logTail)
      implements Invocation {
    public String payloadText() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /**
   * Lambda could not run the function: an API error such as ResourceNotFoundException (404) or
   * ServiceException (500).
   *
   * @param status the HTTP status of Invoke's answer
   * @param code the error code (X-Amzn-ErrorType)
   * @param type "User" or "Service", as in Lambda's error bodies
   */
  record ServiceError(String requestId, int status, String code, String type, String message)
      implements Invocation {}
}
