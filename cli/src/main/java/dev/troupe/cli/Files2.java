package dev.troupe.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.asl.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

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

  /** A definition and its input, read as {@code run} and {@code durable} take them. */
  record Program(String definition, JsonNode input) {}

  /** Why a program could not be read, with the exit code it earns. */
  static final class BadProgram extends Exception {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    BadProgram(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  /**
   * Reads a definition file and an input given as JSON text or as {@code @file} (none means {@code
   * {}}).
   */
  static Program program(Path definition, @Nullable String input) throws BadProgram {
    String definitionText;
    String inputText = "{}";
    try {
      definitionText = read(definition);
      if (input != null) {
        inputText = input.startsWith("@") ? read(Path.of(input.substring(1))) : input;
      }
    } catch (Unreadable e) {
      throw new BadProgram(ExitCodes.NO_INPUT, String.valueOf(e.getMessage()));
    }
    try {
      return new Program(definitionText, Json.parse(inputText));
    } catch (JsonProcessingException e) {
      throw new BadProgram(
          ExitCodes.DATA, "troupe: the input is not valid JSON: " + e.getOriginalMessage());
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
