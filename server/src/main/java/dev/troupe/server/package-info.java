/**
 * {@code troupe server}: the HTTP server (Helidon WebServer on virtual threads) that puts the AWS
 * wire protocols in front of the durable runtime. It only translates protocols: {@code protocol}
 * (AWS JSON 1.0, error shapes), {@code auth} (Signature Version 4), {@code sfn} (the Step Functions
 * operations as an application service over the runtime and the store).
 */
@NullMarked
package dev.troupe.server;

import org.jspecify.annotations.NullMarked;
