package dev.troupe.asl.interp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The task tokens of {@code .waitForTaskToken} tasks. The interpreter decides a task's token while
 * it schedules the task, from what the decision is given: the decision's random seed, the
 * execution's ARN, the frame and its epoch (one epoch per task attempt). The same inputs give the
 * same token, so replaying a decision gives it again; a fresh seed per decision (the shells draw
 * one from a random source) makes it unguessable. The form is the one of Troupe's activity tokens:
 * a version byte and 32 bytes, base64url without padding (44 characters); the version byte tells
 * the two kinds apart.
 */
public final class TaskTokens {
  /** The version byte of activity task tokens (handed out by the shell). */
  public static final byte ACTIVITY_VERSION = 1;

  /** The version byte of callback task tokens (decided here). */
  public static final byte CALLBACK_VERSION = 2;

  /** The length of a token's text. */
  public static final int LENGTH = 44;

  private static final int BODY_BYTES = 32;

  private TaskTokens() {}

  /**
   * The token of the callback task scheduled for (frameId, epoch) by a decision with {@code seed}.
   */
  public static String callback(long seed, String executionArn, String frameId, long epoch) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
    sha.update(ByteBuffer.allocate(Long.BYTES * 2).putLong(seed).putLong(epoch).array());
    for (String part : new String[] {executionArn, frameId}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
      sha.update(bytes);
    }
    byte[] token = new byte[1 + BODY_BYTES];
    token[0] = CALLBACK_VERSION;
    System.arraycopy(sha.digest(), 0, token, 1, BODY_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  /**
   * The version byte of a token that has the form of Troupe's tokens ({@link #ACTIVITY_VERSION} or
   * {@link #CALLBACK_VERSION}), or -1 for any other text.
   */
  public static int version(String token) {
    if (token.length() != LENGTH) {
      return -1;
    }
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(token);
      if (bytes.length != 1 + BODY_BYTES
          || (bytes[0] != ACTIVITY_VERSION && bytes[0] != CALLBACK_VERSION)) {
        return -1;
      }
      return bytes[0];
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  /** Whether a task's Resource waits for a task token ({@code ....waitForTaskToken}). */
  public static boolean isCallback(String resource) {
    return resource.endsWith(".waitForTaskToken");
  }
}
