package dev.troupe.server.auth;

import dev.troupe.server.protocol.ApiError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Verifies AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 Credential=...,
 * SignedHeaders=..., Signature=...}) against the configured access keys, as AWS does: an unknown
 * key id is {@code UnrecognizedClientException}, a signature that does not match is {@code
 * InvalidSignatureException}, a request signed more than 15 minutes away from now is {@code
 * InvalidSignatureException} ("Signature expired"), a request without a signature is {@code
 * MissingAuthenticationTokenException}. With no keys configured every request is accepted.
 */
public final class SigV4Verifier {
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final Duration SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Map<String, String> secrets;
  private final String region;
  private final Clock clock;

  /**
   * @param secrets secret access key by access key id; empty to accept unsigned requests
   * @param region the region a credential's scope must name
   */
  public SigV4Verifier(Map<String, String> secrets, String region, Clock clock) {
    this.secrets = Map.copyOf(secrets);
    this.region = region;
    this.clock = clock;
  }

  public boolean enabled() {
    return !secrets.isEmpty();
  }

  /**
   * A request as it arrived.
   *
   * @param headers every header, its name in lower case, its values in order
   */
  public record SignedRequest(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body) {
    @Nullable String header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? null : String.join(",", v);
    }
  }

  /** Returns the access key id that signed the request (empty with no keys); throws ApiError. */
  public String verify(SignedRequest request) {
    if (!enabled()) {
      return "";
    }
    String authorization = request.header("authorization");
    if (authorization == null) {
      throw new ApiError(
          "MissingAuthenticationTokenException", "Missing Authentication Token", 403);
    }
    if (!authorization.startsWith(ALGORITHM + " ")) {
      throw incomplete("Unsupported Authorization Type");
    }
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = p.substring(0, eq);
      String value = p.substring(eq + 1);
      switch (key) {
        case "Credential" -> credential = value;
        case "SignedHeaders" -> signedHeaders = value;
        case "Signature" -> signature = value;
        default -> {}
      }
    }
    if (credential == null) {
      throw incomplete("Authorization header requires 'Credential' parameter.");
    }
    if (signedHeaders == null) {
      throw incomplete("Authorization header requires 'SignedHeaders' parameter.");
    }
    if (signature == null) {
      throw incomplete("Authorization header requires 'Signature' parameter.");
    }
    String[] scope = credential.split("/");
    if (scope.length != 5 || !scope[4].equals("aws4_request")) {
      throw incomplete(
          "Credential must have exactly 5 slash-delimited elements, e.g."
              + " keyid/date/region/service/term, got '"
              + credential
              + "'");
    }
    String secret = secrets.get(scope[0]);
    if (secret == null) {
      throw new ApiError(
          "UnrecognizedClientException",
          "The security token included in the request is invalid.",
          400);
    }
    String amzDate = request.header("x-amz-date");
    if (amzDate == null) {
      throw incomplete(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw incomplete("Date must be in ISO-8601 'basic format', got '" + amzDate + "'");
    }
    Instant now = clock.instant();
    if (signedAt.isBefore(now.minus(SKEW)) || signedAt.isAfter(now.plus(SKEW))) {
      throw invalid(
          "Signature expired: "
              + amzDate
              + " is now "
              + (signedAt.isBefore(now) ? "earlier" : "later")
              + " than "
              + AMZ_DATE.format(signedAt.isBefore(now) ? now.minus(SKEW) : now.plus(SKEW))
              + " ("
              + AMZ_DATE.format(now)
              + (signedAt.isBefore(now) ? " - " : " + ")
              + "15 min.)");
    }
    if (!amzDate.startsWith(scope[1])) {
      throw invalid(
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
              + scope[1]
              + "' != '"
              + amzDate.substring(0, Math.min(8, amzDate.length()))
              + "', from '"
              + amzDate
              + "'.");
    }
    if (!scope[2].equals(region)) {
      throw invalid(
          "Credential should be scoped to a valid region, not '"
              + scope[2]
              + "'. Use '"
              + region
              + "'.");
    }
    List<String> names = List.of(signedHeaders.split(";"));
    if (!names.contains("host")) {
      throw invalid("'Host' must be a signed header.");
    }
    StringBuilder canonical = new StringBuilder();
    canonical.append(request.method()).append('\n');
    canonical.append(canonicalPath(request.rawPath())).append('\n');
    canonical.append(canonicalQuery(request.rawQuery())).append('\n');
    for (String name : names) {
      String value = request.header(name);
      canonical
          .append(name)
          .append(':')
          .append(value == null ? "" : value.trim().replaceAll(" +", " "))
          .append('\n');
    }
    canonical.append('\n').append(signedHeaders).append('\n');
    canonical.append(HexFormat.of().formatHex(sha256(request.body())));
    String scopeText = scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request";
    String toSign =
        ALGORITHM
            + "\n"
            + amzDate
            + "\n"
            + scopeText
            + "\n"
            + HexFormat.of()
                .formatHex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope[1]);
    key = hmac(key, scope[2]);
    key = hmac(key, scope[3]);
    key = hmac(key, "aws4_request");
    byte[] expected = hmac(key, toSign);
    byte[] given;
    try {
      given = HexFormat.of().parseHex(signature);
    } catch (IllegalArgumentException e) {
      given = new byte[0];
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw invalid(
          "The request signature we calculated does not match the signature you provided. Check"
              + " your AWS Secret Access Key and signing method. Consult the service documentation"
              + " for details.");
    }
    return scope[0];
  }

  private static ApiError incomplete(String message) {
    return new ApiError("IncompleteSignatureException", message, 400);
  }

  private static ApiError invalid(String message) {
    return new ApiError("InvalidSignatureException", message, 400);
  }

  /**
   * The canonical URI of every service but S3: each segment of the path as sent (already
   * URI-encoded) URI-encoded once more, so that {@code /functions/arn%3Aaws...} signs as {@code
   * /functions/arn%253Aaws...}, as the SDKs and the CLI sign it.
   */
  static String canonicalPath(String rawPath) {
    if (rawPath.isEmpty()) {
      return "/";
    }
    String[] segments = rawPath.split("/", -1);
    List<String> out = new ArrayList<>(segments.length);
    for (String segment : segments) {
      out.add(uriEncode(segment));
    }
    return String.join("/", out);
  }

  /** The query's parameters, each name and value URI-encoded, sorted. */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String p : rawQuery.split("&")) {
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String name = eq < 0 ? p : p.substring(0, eq);
      String value = eq < 0 ? "" : p.substring(eq + 1);
      pairs.add(new String[] {uriEncode(decode(name)), uriEncode(decode(value))});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> out = new ArrayList<>();
    for (String[] p : pairs) {
      out.add(p[0] + "=" + p[1]);
    }
    return String.join("&", out);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** RFC 3986 encoding: everything but unreserved characters, hex in upper case. */
  static String uriEncode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
