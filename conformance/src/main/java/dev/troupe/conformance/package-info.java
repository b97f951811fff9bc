/** Runs the recorded-behaviour corpora against Troupe and reports. */
@NullMarked
package dev.troupe.conformance;

import org.jspecify.annotations.NullMarked;
