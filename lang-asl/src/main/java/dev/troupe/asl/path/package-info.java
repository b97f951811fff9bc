/** Amazon States Language (asl.path). Pure: no IO, clock, randomness, threads or logging. */
@NullMarked
package dev.troupe.asl.path;

import org.jspecify.annotations.NullMarked;
