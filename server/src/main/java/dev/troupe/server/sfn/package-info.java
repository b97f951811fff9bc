/**
 * The Step Functions API: {@code StepFunctionsService} is the application service over the durable
 * runtime and the store (the one place that uses them), {@code StepFunctionsApi} turns AWS JSON
 * requests into its calls and its results into AWS's response shapes.
 */
@NullMarked
package dev.troupe.server.sfn;

import org.jspecify.annotations.NullMarked;
