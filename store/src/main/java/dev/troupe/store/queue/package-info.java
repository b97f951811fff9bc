/**
 * Queues (the SQS-compatible queue service): queues with their attributes and tags, and their
 * messages with visibility deadlines, receive counts, receipt handles and the move to a dead-letter
 * queue. Every "now" is given by the caller.
 */
@NullMarked
package dev.troupe.store.queue;

import org.jspecify.annotations.NullMarked;
