package dev.troupe.runtime.maprun;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;

/**
 * A Map Run's items, read lazily: only the item being handed out is in memory. Next and hasNext
 * throw {@link ItemReaderException} when the source is malformed.
 */
public interface ItemSource extends Iterator<JsonNode>, AutoCloseable {
  @Override
  void close();
}
