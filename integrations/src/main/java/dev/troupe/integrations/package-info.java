/**
 * Task integrations: the {@link dev.troupe.runtime.TaskHandler} that carries out {@code
 * arn:aws:states:::lambda:invoke}, bare function ARNs and {@code arn:aws:states:::http:invoke} with
 * Step Functions' request and response shapes and error names.
 */
@NullMarked
package dev.troupe.integrations;

import org.jspecify.annotations.NullMarked;
