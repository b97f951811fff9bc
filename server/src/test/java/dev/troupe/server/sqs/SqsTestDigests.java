package dev.troupe.server.sqs;

/** The body digest as the tests' expectations compute it (the JDK's MD5, lowercase hex). */
public final class SqsTestDigests {
  private SqsTestDigests() {}

  public static String md5(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("MD5")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
