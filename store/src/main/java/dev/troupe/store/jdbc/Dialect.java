package dev.troupe.store.jdbc;

import java.sql.SQLException;

/** What differs between the SQL databases the store runs on. */
enum Dialect {
  SQLITE("db/sqlite", ""),
  POSTGRESQL("db/postgresql", " FOR UPDATE SKIP LOCKED");

  final String migrations;

  /** Appended to the select of rows to lease, so two claimers never wait on or take one row. */
  final String skipLocked;

  Dialect(String migrations, String skipLocked) {
    this.migrations = migrations;
    this.skipLocked = skipLocked;
  }

  /** A unique, primary-key or foreign-key constraint refused a write. */
  boolean isConstraintViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if (this == POSTGRESQL && state != null && state.startsWith("23")) {
          return true;
        }
        // SQLITE_CONSTRAINT is 19; extended codes keep it in the low byte
        if (this == SQLITE && (s.getErrorCode() & 0xff) == 19) {
          return true;
        }
        SQLException next = s.getNextException();
        if (next != null && next != s && isConstraintViolation(next)) {
          return true;
        }
      }
    }
    return false;
  }
}
