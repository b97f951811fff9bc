package dev.troupe.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.server.protocol.ApiError;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The verifier on AWS's published Signature Version 4 example (IAM ListUsers, a GET with a query
 * string), which the SDK tests (POST to /, no query) do not reach.
 */
class SigV4VerifierTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final Clock AT =
      Clock.fixed(Instant.parse("2015-08-30T12:40:00Z"), ZoneOffset.UTC);

  private static SigV4Verifier.SignedRequest example(String query, String signature) {
    return new SigV4Verifier.SignedRequest(
        "GET",
        "/",
        query,
        Map.of(
            "authorization",
            List.of(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,"
                    + " SignedHeaders=content-type;host;x-amz-date, Signature="
                    + signature),
            "content-type",
            List.of("application/x-www-form-urlencoded; charset=utf-8"),
            "host",
            List.of("iam.amazonaws.com"),
            "x-amz-date",
            List.of("20150830T123600Z")),
        new byte[0]);
  }

  private static final String SIGNATURE =
      "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

  @Test
  void awssPublishedExampleVerifies() {
    SigV4Verifier v = new SigV4Verifier(Map.of("AKIDEXAMPLE", SECRET), "us-east-1", AT);
    assertThat(v.verify(example("Action=ListUsers&Version=2010-05-08", SIGNATURE)))
        .isEqualTo("AKIDEXAMPLE");
    // the query is put in canonical order before signing
    assertThat(v.verify(example("Version=2010-05-08&Action=ListUsers", SIGNATURE)))
        .isEqualTo("AKIDEXAMPLE");
  }

  @Test
  void anyChangeBreaksTheSignature() {
    SigV4Verifier v = new SigV4Verifier(Map.of("AKIDEXAMPLE", SECRET), "us-east-1", AT);
    assertThatThrownBy(() -> v.verify(example("Action=ListUsers&Version=2010-05-09", SIGNATURE)))
        .isInstanceOfSatisfying(
            ApiError.class, e -> assertThat(e.code()).isEqualTo("InvalidSignatureException"));
    assertThatThrownBy(() -> v.verify(example("Action=ListUsers&Version=2010-05-08", "00")))
        .isInstanceOfSatisfying(
            ApiError.class, e -> assertThat(e.code()).isEqualTo("InvalidSignatureException"));
    SigV4Verifier otherRegion = new SigV4Verifier(Map.of("AKIDEXAMPLE", SECRET), "eu-west-1", AT);
    assertThatThrownBy(
            () -> otherRegion.verify(example("Action=ListUsers&Version=2010-05-08", SIGNATURE)))
        .isInstanceOfSatisfying(
            ApiError.class, e -> assertThat(e.getMessage()).contains("valid region"));
  }

  @Test
  void unsignedRequestsAreRefusedWhenKeysAreConfiguredAndTakenWhenNot() {
    SigV4Verifier.SignedRequest unsigned =
        new SigV4Verifier.SignedRequest("POST", "/", "", Map.of(), new byte[0]);
    assertThatThrownBy(
            () ->
                new SigV4Verifier(Map.of("AKIDEXAMPLE", SECRET), "us-east-1", AT).verify(unsigned))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.code()).isEqualTo("MissingAuthenticationTokenException");
              assertThat(e.status()).isEqualTo(403);
            });
    assertThat(new SigV4Verifier(Map.of(), "us-east-1", AT).verify(unsigned)).isEmpty();
  }
}
