package dev.troupe.runtime.bucket;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;

/**
 * The bucket port: object storage as a Distributed Map sees it (S3's getObject, listObjectsV2 and
 * putObject). {@link LocalBuckets} keeps buckets in local folders; an S3-compatible store can
 * implement the same interface.
 */
public interface BucketStore {
  /** Opens the object for reading. Throws {@link BucketException} when it does not exist. */
  InputStream read(String bucket, String key);

  /** The bucket's objects whose keys start with {@code prefix}, in key order, lazily. */
  Iterator<ObjectEntry> list(String bucket, String prefix);

  /** Creates (or replaces) an object; it is complete when the stream is closed. */
  OutputStream write(String bucket, String key);

  /** A store without buckets: every access fails with NoSuchBucket. */
  BucketStore NONE = new LocalBuckets(java.util.Map.of());
}
