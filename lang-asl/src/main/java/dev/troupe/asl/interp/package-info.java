/** Amazon States Language (asl.interp). Pure: no IO, clock, randomness, threads or logging. */
@NullMarked
package dev.troupe.asl.interp;

import org.jspecify.annotations.NullMarked;
