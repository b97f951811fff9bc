/**
 * The benchmark command ({@code bench/run}): state transitions per second of Troupe's in-memory
 * runner on the definitions under {@code bench/definitions/}, side by side with the npm package
 * aws-local-stepfunctions, and the latency of a one-state execution. Speed is measured here, never
 * asserted by a test.
 */
@NullMarked
package dev.troupe.bench;

import org.jspecify.annotations.NullMarked;
