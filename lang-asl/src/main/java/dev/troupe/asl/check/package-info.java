/** Amazon States Language (asl.check). Pure: no IO, clock, randomness, threads or logging. */
@NullMarked
package dev.troupe.asl.check;

import org.jspecify.annotations.NullMarked;
