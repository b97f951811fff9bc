/**
 * EXPRESS executions: the same interpreter without durable history. Synchronous starts run at most
 * once in the caller's thread; asynchronous starts are recorded (a start row and its end) and run
 * again after a restart (at least once).
 */
@NullMarked
package dev.troupe.runtime.express;

import org.jspecify.annotations.NullMarked;
