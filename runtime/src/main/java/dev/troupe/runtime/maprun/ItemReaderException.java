package dev.troupe.runtime.maprun;

/** Reading a Map Run's items failed: the Map Run fails with States.ItemReaderFailed. */
public final class ItemReaderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ItemReaderException(String message) {
    super(message);
  }
}
