/** The TestState API (asl.teststate). Pure: no IO, clock, randomness, threads or logging. */
@NullMarked
package dev.troupe.asl.teststate;

import org.jspecify.annotations.NullMarked;
