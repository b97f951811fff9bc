/** Amazon States Language (asl.model). Pure: no IO, clock, randomness, threads or logging. */
@NullMarked
package dev.troupe.asl.model;

import org.jspecify.annotations.NullMarked;
