/** The durable driver: executions kept in an {@code ExecutionStore}, effects through its outbox. */
@NullMarked
package dev.troupe.runtime.durable;

import org.jspecify.annotations.NullMarked;
