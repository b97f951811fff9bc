package dev.troupe.runtime.maprun;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads CSV records one at a time (RFC 4180: fields may be quoted, a quote inside a quoted field is
 * doubled, quoted fields may span lines; CRLF or LF ends a record). Blank lines are skipped.
 */
final class CsvRecords {
  private final Reader in;
  private final char delimiter;
  private long line = 1;
  private int pushedBack = -2;

  CsvRecords(Reader in, char delimiter) {
    this.in = in;
    this.delimiter = delimiter;
  }

  private int read() {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    try {
      return in.read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next record, or null at the end of the input. */
  @Nullable List<String> next() {
    while (true) {
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      boolean afterQuote = false;
      boolean any = false;
      long startLine = line;
      while (true) {
        int c = read();
        if (c == -1) {
          if (quoted) {
            throw new ItemReaderException(
                "CSV file is malformed: a quoted field that starts on line "
                    + startLine
                    + " is never closed.");
          }
          if (!any && fields.isEmpty()) {
            return null;
          }
          fields.add(field.toString());
          return fields;
        }
        any = true;
        char ch = (char) c;
        if (quoted) {
          if (ch == '"') {
            int n = read();
            if (n == '"') {
              field.append('"');
            } else {
              quoted = false;
              afterQuote = true;
              pushedBack = n;
            }
          } else {
            if (ch == '\n') {
              line++;
            }
            field.append(ch);
          }
        } else if (ch == delimiter) {
          fields.add(field.toString());
          field.setLength(0);
          afterQuote = false;
        } else if (ch == '\n' || ch == '\r') {
          if (ch == '\r') {
            int n = read();
            if (n != '\n') {
              pushedBack = n;
            }
          }
          line++;
          if (fields.isEmpty() && field.isEmpty() && !afterQuote) {
            break; // a blank line
          }
          fields.add(field.toString());
          return fields;
        } else if (ch == '"' && field.isEmpty() && !afterQuote) {
          quoted = true;
        } else if (afterQuote) {
          throw new ItemReaderException(
              "CSV file is malformed: unexpected character '"
                  + ch
                  + "' after a closing quote on line "
                  + line
                  + ".");
        } else {
          field.append(ch);
        }
      }
    }
  }
}
