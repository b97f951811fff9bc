/**
 * Functions: what Troupe calls where AWS would call a Lambda function. A function is an HTTP
 * endpoint (the event POSTed, the response body the result) or a local command run once per
 * invocation (the event on stdin, the result on stdout), registered from a configuration file.
 * Results and errors take the shapes Lambda gives them.
 */
@NullMarked
package dev.troupe.integrations.functions;

import org.jspecify.annotations.NullMarked;
