/**
 * The queue service on the SQS JSON protocol ({@code X-Amz-Target: AmazonSQS.<Operation>}): {@code
 * SqsService} is the application service over the store's queues (the one class here that uses the
 * store), {@code SqsApi} reads AWS's request members and writes its response shapes, {@code
 * SqsErrors} gives AWS's error types with the query protocol's codes the SDKs read from the {@code
 * x-amzn-query-error} header.
 */
@NullMarked
package dev.troupe.server.sqs;

import org.jspecify.annotations.NullMarked;
