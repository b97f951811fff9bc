package dev.troupe.store.queue;

/**
 * The approximate numbers of GetQueueAttributes: messages visible now, in flight (received and not
 * yet visible again) and delayed (sent with a delay that has not run out).
 */
public record QueueCounts(long visible, long inFlight, long delayed) {}
