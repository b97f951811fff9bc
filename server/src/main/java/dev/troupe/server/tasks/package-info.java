/**
 * The Task integrations on the server's own services: {@code SqsTasks} serves {@code
 * sqs:sendMessage} (and {@code .waitForTaskToken}) on the server's queues. The server chains them
 * between Troupe's integrations (functions, HTTP) and the {@code TaskHandler} it was started with.
 */
@NullMarked
package dev.troupe.server.tasks;

import org.jspecify.annotations.NullMarked;
