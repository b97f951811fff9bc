/** The AWS JSON 1.0 protocol: request bodies, responses, and AWS's error shapes. */
@NullMarked
package dev.troupe.server.protocol;

import org.jspecify.annotations.NullMarked;
