/** Amazon States Language (asl). Pure: no IO, clock, randomness, threads or logging. */
@NullMarked
package dev.troupe.asl;

import org.jspecify.annotations.NullMarked;
