package dev.troupe.store.jdbc;

import dev.troupe.store.function.FunctionStore;
import dev.troupe.store.function.StoredFunction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link FunctionStore} over JDBC, in the execution store's database (the V15 migration). */
final class JdbcFunctionStore implements FunctionStore {
  private final JdbcStore db;

  JdbcFunctionStore(JdbcStore db) {
    this.db = db;
  }

  private static StoredFunction row(ResultSet rs) throws SQLException {
    return new StoredFunction(
        rs.getString("name"),
        rs.getString("definition"),
        Instant.ofEpochMilli(rs.getLong("updated_ms")));
  }

  @Override
  public void put(StoredFunction f) {
    db.tx(
        true,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO functions (name, definition, updated_ms) VALUES (?, ?, ?)"
                      + " ON CONFLICT (name) DO UPDATE SET definition = excluded.definition,"
                      + " updated_ms = excluded.updated_ms")) {
            ps.setString(1, f.name());
            ps.setString(2, f.definition());
            ps.setLong(3, f.updated().toEpochMilli());
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<StoredFunction> function(String name) {
    return db.tx(
        false,
        c ->
            JdbcStore.first(
                c,
                "SELECT name, definition, updated_ms FROM functions WHERE name = ?",
                JdbcFunctionStore::row,
                name));
  }

  @Override
  public boolean delete(String name) {
    return db.tx(
        true,
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM functions WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() > 0;
          }
        });
  }

  @Override
  public List<StoredFunction> all() {
    return db.tx(
        false,
        c -> {
          List<StoredFunction> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT name, definition, updated_ms FROM functions ORDER BY name");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(row(rs));
            }
          }
          return out;
        });
  }
}
