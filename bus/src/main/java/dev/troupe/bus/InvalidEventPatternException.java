package dev.troupe.bus;

/**
 * An event pattern that is not valid: AWS's {@code InvalidEventPatternException}, with the message
 * EventBridge gives ({@code Event pattern is not valid. Reason: ...}, including the JSON parser's
 * location of the fault).
 */
public final class InvalidEventPatternException extends BusException {
  private static final long serialVersionUID = 1L;

  public static final String CODE = "InvalidEventPatternException";

  public InvalidEventPatternException(String reason) {
    super(CODE, "Event pattern is not valid. Reason: " + reason);
  }
}
