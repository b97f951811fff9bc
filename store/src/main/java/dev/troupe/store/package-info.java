/**
 * The storage contract of durable executions ({@link dev.troupe.store.ExecutionStore}) and its
 * adapters: {@link dev.troupe.store.memory} (the reference), {@link dev.troupe.store.jdbc} (SQLite
 * and PostgreSQL). The store knows nothing of any workflow language: an execution's state is an
 * opaque snapshot. Time never comes from a clock here; every operation that needs "now" is given it
 * by the caller.
 */
@NullMarked
package dev.troupe.store;

import org.jspecify.annotations.NullMarked;
