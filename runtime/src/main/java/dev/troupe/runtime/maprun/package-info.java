/** Map Runs of Distributed Maps: item readers, batching, child executions, result writing. */
@NullMarked
package dev.troupe.runtime.maprun;

import org.jspecify.annotations.NullMarked;
