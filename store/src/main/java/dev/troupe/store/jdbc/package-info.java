/**
 * The SQL adapters of the storage contract: {@link dev.troupe.store.jdbc.SqliteStore} (one file,
 * WAL, fsync on) and {@link dev.troupe.store.jdbc.PostgresStore}, one implementation ({@link
 * dev.troupe.store.jdbc.JdbcStore}) over plain JDBC; schemas through Flyway migrations under {@code
 * db/sqlite} and {@code db/postgresql}.
 */
@NullMarked
package dev.troupe.store.jdbc;

import org.jspecify.annotations.NullMarked;
