/** The bucket port: where Distributed Maps read items and write results. */
@NullMarked
package dev.troupe.runtime.bucket;

import org.jspecify.annotations.NullMarked;
