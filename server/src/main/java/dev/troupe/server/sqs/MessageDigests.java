package dev.troupe.server.sqs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MD5 digests SQS answers with, which the SDKs check: of the body's UTF-8 bytes, and of a
 * message's (or system) attributes encoded as SQS documents it. Each attribute, in name order: the
 * name, the data type, one transport byte (1 for String and Number, 2 for Binary) and the value,
 * each of the three texts and the value preceded by its length as 4 big-endian bytes.
 */
final class MessageDigests {
  private MessageDigests() {}

  private static final byte STRING = 1;
  private static final byte BINARY = 2;

  static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }

  static String ofBody(String body) {
    return md5(body.getBytes(StandardCharsets.UTF_8));
  }

  /** The digest of attributes (name to value); none for no attributes. */
  static String ofAttributes(Map<String, MessageAttribute> attributes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, MessageAttribute> e : new TreeMap<>(attributes).entrySet()) {
      MessageAttribute a = e.getValue();
      lengthAndBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
      lengthAndBytes(out, a.dataType().getBytes(StandardCharsets.UTF_8));
      if (a.isBinary()) {
        out.write(BINARY);
        lengthAndBytes(out, a.binaryValue());
      } else {
        out.write(STRING);
        lengthAndBytes(out, a.stringValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    return md5(out.toByteArray());
  }

  private static void lengthAndBytes(ByteArrayOutputStream out, byte[] bytes) {
    int n = bytes.length;
    out.write(n >>> 24);
    out.write(n >>> 16);
    out.write(n >>> 8);
    out.write(n);
    out.write(bytes, 0, n);
  }
}
