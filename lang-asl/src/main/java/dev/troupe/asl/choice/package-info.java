/** Amazon States Language (asl.choice). Pure: no IO, clock, randomness, threads or logging. */
@NullMarked
package dev.troupe.asl.choice;

import org.jspecify.annotations.NullMarked;
