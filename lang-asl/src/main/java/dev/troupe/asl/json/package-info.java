/** Amazon States Language (asl.json). Pure: no IO, clock, randomness, threads or logging. */
@NullMarked
package dev.troupe.asl.json;

import org.jspecify.annotations.NullMarked;
