/**
 * The event bus's shell: {@link dev.troupe.runtime.bus.EventBus} keeps each bus's rules in memory
 * (rebuilt from the store's catalog at start), turns accepted events into durable deliveries, and
 * dispatches them to targets through a {@link dev.troupe.runtime.bus.TargetPort} with leases,
 * retries with exponential backoff and jitter, dead-letter queues, and schedule rules.
 */
@NullMarked
package dev.troupe.runtime.bus;

import org.jspecify.annotations.NullMarked;
