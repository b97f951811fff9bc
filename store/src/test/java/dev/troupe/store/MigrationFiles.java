package dev.troupe.store;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** The versions of the migration files of one dialect, in the order Flyway applies them. */
public final class MigrationFiles {
  private MigrationFiles() {}

  public static List<String> versions(String dialect) {
    URL folder =
        Objects.requireNonNull(
            MigrationFiles.class.getResource("/db/" + dialect), "no migrations for " + dialect);
    try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
      List<String> versions =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.matches("V[0-9_]+__.+\\.sql"))
              .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.'))
              .sorted(Comparator.comparing(MigrationFiles::key))
              .toList();
      if (versions.isEmpty()) {
        throw new IllegalStateException("no migration files under " + folder);
      }
      return versions;
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A version as zero-padded parts, so that 2 < 3 < 3.1 < 10. */
  private static String key(String version) {
    StringBuilder k = new StringBuilder();
    for (String part : version.split("\\.")) {
      k.append(String.format("%08d.", Long.parseLong(part)));
    }
    return k.toString();
  }
}
