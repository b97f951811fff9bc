package dev.troupe.runtime.bucket;

/**
 * A bucket access failed. {@code code} is S3's error code (NoSuchBucket, NoSuchKey, InternalError).
 */
public final class BucketException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public BucketException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
