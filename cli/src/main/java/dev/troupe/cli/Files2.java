package dev.troupe.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the files the user names, with errors a person can act on. */
final class Files2 {
  private Files2() {}

  /** A file that could not be read; its message says which and why. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message);
    }
  }

  static String read(Path file) throws Unreadable {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new Unreadable("troupe: no such file: " + file);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new Unreadable("troupe: cannot read " + file + ": " + e.getMessage());
    }
  }
}
