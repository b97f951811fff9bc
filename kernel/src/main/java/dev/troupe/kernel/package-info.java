/** Durable-execution vocabulary shared by every workflow language and the runtime. Pure. */
@NullMarked
package dev.troupe.kernel;

import org.jspecify.annotations.NullMarked;
