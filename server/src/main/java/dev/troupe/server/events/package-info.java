/**
 * The EventBridge API ({@code AWSEvents.*}, AWS JSON 1.1) over the runtime's {@link
 * dev.troupe.runtime.bus.EventBus}, and the port through which the bus reaches this server's state
 * machines, queues and logs.
 */
@NullMarked
package dev.troupe.server.events;

import org.jspecify.annotations.NullMarked;
