/**
 * Lambda's Invoke API (REST-JSON, {@code POST /2015-03-31/functions/{FunctionName}/invocations})
 * over Troupe's registered functions, so that the AWS SDKs' Lambda clients and {@code aws lambda
 * invoke} work against the server.
 */
@NullMarked
package dev.troupe.server.lambda;

import org.jspecify.annotations.NullMarked;
