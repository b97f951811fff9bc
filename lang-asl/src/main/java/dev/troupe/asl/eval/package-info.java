/** Amazon States Language (asl.eval). Pure: no IO, clock, randomness, threads or logging. */
@NullMarked
package dev.troupe.asl.eval;

import org.jspecify.annotations.NullMarked;
