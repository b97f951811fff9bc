/** Amazon States Language (asl.intrinsic). Pure: no IO, clock, randomness, threads or logging. */
@NullMarked
package dev.troupe.asl.intrinsic;

import org.jspecify.annotations.NullMarked;
