package dev.troupe.runtime.maprun;

/** Writing a Map Run's results failed: the Map Run fails with States.ResultWriterFailed. */
public final class ResultWriterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ResultWriterException(String message) {
    super(message);
  }
}
