package dev.troupe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.store.jdbc.JdbcStore;
import dev.troupe.store.jdbc.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends DurableStoreContract {
  @TempDir Path temp;

  private Path dataDirectory() {
    return temp.resolve("data").resolve("troupe");
  }

  @Override
  protected ExecutionStore openStore() {
    return SqliteStore.open(dataDirectory());
  }

  @Test
  void oneFileUnderADataDirectoryCreatedOnFirstOpenInWalModeWithFullSync() throws Exception {
    Path file = dataDirectory().resolve(SqliteStore.FILE_NAME);
    assertThat(file).isRegularFile();
    created("x");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("wal");
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
        for (String version : new String[] {"1", "2", "3", "3.1"}) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo(version);
          assertThat(rs.getBoolean(2)).isTrue();
        }
        assertThat(rs.next()).isFalse();
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM executions")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
    assertThat(Files.exists(dataDirectory().resolve(SqliteStore.FILE_NAME + "-wal"))).isTrue();
  }

  @Test
  void theStoresConnectionSyncsEveryCommitAndWaitsWhenBusy() {
    JdbcStore sqlite = (JdbcStore) store;
    assertThat(sqlite.sqlitePragma("journal_mode")).isEqualTo("wal");
    assertThat(sqlite.sqlitePragma("synchronous")).isEqualTo("2"); // FULL
    assertThat(sqlite.sqlitePragma("busy_timeout")).isEqualTo("" + SqliteStore.BUSY_TIMEOUT_MS);
    assertThat(sqlite.sqlitePragma("foreign_keys")).isEqualTo("1");
    assertThatThrownBy(() -> sqlite.sqlitePragma("writable_schema"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
