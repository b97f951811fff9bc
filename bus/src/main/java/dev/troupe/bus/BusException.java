package dev.troupe.bus;

/**
 * A request the bus refuses, with AWS's error code (such as {@code ValidationException} or {@code
 * InvalidEventPatternException}) and message, ready for the API to return as {@code {__type,
 * message}}.
 */
public class BusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public BusException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** AWS's error code. */
  public String code() {
    return code;
  }
}
