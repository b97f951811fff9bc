/** AWS Signature Version 4, verified against the access keys the server is configured with. */
@NullMarked
package dev.troupe.server.auth;

import org.jspecify.annotations.NullMarked;
