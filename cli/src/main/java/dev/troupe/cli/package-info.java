/** The troupe command. */
@NullMarked
package dev.troupe.cli;

import org.jspecify.annotations.NullMarked;
