package dev.troupe.runtime.bucket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Buckets kept in local folders: each bucket name maps to a directory, each key to a file under it
 * (a key's slashes are folders). Keys may not leave their bucket's folder.
 */
public final class LocalBuckets implements BucketStore {
  private final Map<String, Path> buckets;

  public LocalBuckets(Map<String, Path> buckets) {
    this.buckets = Map.copyOf(buckets);
  }

  /** Parses {@code name=directory}, as the command line gives a bucket. */
  public static Map.Entry<String, Path> parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException(
          "a bucket is given as NAME=DIRECTORY, for example data=./buckets/data; got: " + spec);
    }
    return Map.entry(spec.substring(0, eq), Path.of(spec.substring(eq + 1)));
  }

  private Path root(String bucket) {
    Path root = buckets.get(bucket);
    if (root == null || !Files.isDirectory(root)) {
      throw new BucketException("NoSuchBucket", "The specified bucket does not exist");
    }
    return root;
  }

  private Path file(String bucket, String key) {
    Path root = root(bucket).toAbsolutePath().normalize();
    Path file = root.resolve(key).normalize();
    if (key.isEmpty() || !file.startsWith(root) || file.equals(root)) {
      throw new BucketException("NoSuchKey", "The specified key does not exist.");
    }
    return file;
  }

  @Override
  public InputStream read(String bucket, String key) {
    Path file = file(bucket, key);
    if (!Files.isRegularFile(file)) {
      throw new BucketException("NoSuchKey", "The specified key does not exist.");
    }
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new BucketException("NoSuchKey", "The specified key does not exist.");
    } catch (IOException e) {
      throw new BucketException("InternalError", "Reading " + key + " failed: " + e.getMessage());
    }
  }

  @Override
  public Iterator<ObjectEntry> list(String bucket, String prefix) {
    Path root = root(bucket).toAbsolutePath().normalize();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> keyOf(root, p).startsWith(prefix))
              .sorted((a, b) -> keyOf(root, a).compareTo(keyOf(root, b)))
              .toList();
    } catch (IOException e) {
      throw new BucketException("InternalError", "Listing " + bucket + " failed: " + e);
    }
    Iterator<Path> it = files.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public ObjectEntry next() {
        Path p = it.next();
        try {
          return new ObjectEntry(
              keyOf(root, p), Files.size(p), etag(p), Files.getLastModifiedTime(p).toInstant());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  private static String keyOf(Path root, Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  /** S3's ETag of a single-part object: the MD5 of its bytes, in quotes. */
  private static String etag(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        md5.update(buf, 0, n);
      }
      return "\"" + HexFormat.of().formatHex(md5.digest()) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public OutputStream write(String bucket, String key) {
    Path file = file(bucket, key);
    try {
      Files.createDirectories(file.getParent());
      return Files.newOutputStream(file);
    } catch (IOException e) {
      throw new BucketException("InternalError", "Writing " + key + " failed: " + e.getMessage());
    }
  }
}
