package dev.troupe.store.jdbc;

import dev.troupe.store.StoreException;
import dev.troupe.store.StoreLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/**
 * The embedded store: one SQLite file ({@value #FILE_NAME}) under a data directory, created with
 * the directory on first open; write-ahead log, {@code synchronous=FULL} (every commit is fsynced),
 * a busy timeout for a second process on the same file; writing transactions begin IMMEDIATE (the
 * write lock is taken at BEGIN, so two processes never deadlock upgrading a read). One connection:
 * SQLite has one writer at a time anyway, so operations are serialised in the process and group
 * commit is what buys throughput.
 */
public final class SqliteStore {
  public static final String FILE_NAME = "troupe.db";
  public static final int BUSY_TIMEOUT_MS = 10_000;

  private SqliteStore() {}

  public static JdbcStore open(Path dataDirectory) {
    return open(dataDirectory, StoreLimits.DEFAULT);
  }

  public static JdbcStore open(Path dataDirectory, StoreLimits limits) {
    try {
      Files.createDirectories(dataDirectory);
    } catch (IOException e) {
      throw new StoreException(
          "StoreFailure", "cannot create the data directory " + dataDirectory + ": " + e, e);
    }
    String url = "jdbc:sqlite:" + dataDirectory.resolve(FILE_NAME).toAbsolutePath();
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    ConnectionPool pool;
    try {
      // the first connection sets WAL on the file (it persists) before the migrations run
      pool = new ConnectionPool(1, () -> config.createConnection(url));
    } catch (SQLException e) {
      throw new StoreException("StoreFailure", "cannot open " + url + ": " + e.getMessage(), e);
    }
    try {
      Migrations.migrate(url, null, null, Dialect.SQLITE);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new JdbcStore(Dialect.SQLITE, pool, limits);
  }
}
