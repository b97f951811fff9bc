/** The in-memory store: the reference adapter of the storage contract. */
@NullMarked
package dev.troupe.store.memory;

import org.jspecify.annotations.NullMarked;
