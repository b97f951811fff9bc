/** The shell around the pure interpreters: clocks, timers, ids and task dispatch. */
@NullMarked
package dev.troupe.runtime;

import org.jspecify.annotations.NullMarked;
