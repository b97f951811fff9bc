package dev.troupe.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** A fixed set of open connections, lent one at a time. */
final class ConnectionPool implements AutoCloseable {
  interface Opener {
    Connection open() throws SQLException;
  }

  private final List<Connection> all = new ArrayList<>();
  private final BlockingQueue<Connection> idle;

  ConnectionPool(int size, Opener opener) throws SQLException {
    idle = new ArrayBlockingQueue<>(size);
    try {
      for (int i = 0; i < size; i++) {
        Connection c = opener.open();
        all.add(c);
        idle.add(c);
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  Connection take() {
    try {
      return idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a database connection", e);
    }
  }

  void give(Connection c) {
    idle.add(c);
  }

  @Override
  public void close() {
    for (Connection c : all) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway: nothing left to do with a connection that fails to close
      }
    }
  }
}
