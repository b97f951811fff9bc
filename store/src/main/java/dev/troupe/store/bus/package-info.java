/**
 * What the event bus keeps durably: the deliveries of accepted events (one per event and target,
 * leased and retried at least once), the events its archives hold, and the marks of its schedules.
 * Like the execution store, it knows no rule language and reads no clock.
 */
@NullMarked
package dev.troupe.store.bus;

import org.jspecify.annotations.NullMarked;
