/** The storage contract of functions registered through the API (kept across restarts). */
@NullMarked
package dev.troupe.store.function;

import org.jspecify.annotations.NullMarked;
